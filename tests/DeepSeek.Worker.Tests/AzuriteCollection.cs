using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Worker.Tests;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
