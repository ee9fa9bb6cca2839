using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
