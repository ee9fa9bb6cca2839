namespace DeepSeek.Deployment.Tests;

/// <summary>No key, SAS or storage connection string anywhere in what is deployed, nor a way to fetch one.</summary>
[Collection(BicepCollection.Name)]
public sealed class NoSecretsTests(CompiledTemplate compiled)
{
    private static readonly string[] s_forbidden =
    [
        "AccountKey",
        "listKeys",
        "listAccountSas",
        "listServiceSas",
        "listCredentials",
        "SharedAccessSignature",
        "SharedAccessKey",
        "DefaultEndpointsProtocol",
        // Log Analytics' workspace key (allowSharedKeyAccess, the storage switch, is allowed).
        "sharedKey:",
        "\"sharedKey\"",
        "primaryKey",
        "InstrumentationKey=",
        "password",
    ];

    public static TheoryData<string> DeploymentFiles()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "bicep", "infra" })
        {
            foreach (var file in Directory.EnumerateFiles(Repository.Path(folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Repository.Root, file));
            }
        }

        data.Add("azure.yaml");
        data.Add(".dockerignore");
        return data;
    }

    [Theory]
    [MemberData(nameof(DeploymentFiles))]
    public void DeploymentFile_HoldsNoSecret(string file)
    {
        var text = File.ReadAllText(Repository.Path(file));

        foreach (var token in s_forbidden)
        {
            Assert.DoesNotContain(token, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void CompiledTemplate_HoldsNoSecret_AndReadsNoKey()
    {
        Assert.NotEqual("{}", compiled.Text);
        foreach (var token in s_forbidden)
        {
            Assert.DoesNotContain(token, compiled.Text, StringComparison.OrdinalIgnoreCase);
        }

        var adminUser = compiled.Main.Module("registry").OfType("Microsoft.ContainerRegistry/registries").Single()
            .GetProperty("properties").GetProperty("adminUserEnabled").GetBoolean();
        Assert.False(adminUser);
        var appInsights = compiled.Main.Module("monitoring").OfType("Microsoft.Insights/components").Single().GetProperty("properties");
        Assert.True(appInsights.GetProperty("DisableLocalAuth").GetBoolean());
    }
}
