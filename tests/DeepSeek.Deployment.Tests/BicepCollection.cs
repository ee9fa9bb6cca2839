namespace DeepSeek.Deployment.Tests;

/// <summary>The test classes that share one compilation of bicep/main.bicep.</summary>
[CollectionDefinition(Name)]
public sealed class BicepCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "bicep";
}
