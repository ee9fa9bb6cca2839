using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Functions.Tests;

/// <summary>One Azurite for this assembly's storage tests (xunit collection fixtures are per assembly).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
