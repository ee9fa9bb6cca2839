using System.Text.Json;
using System.Text.RegularExpressions;

namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>azure.yaml, the parameters file and the postprovision hook agree with main.bicep.</summary>
[Collection(BicepCollection.Name)]
public sealed partial class AzdTests(CompiledTemplate compiled)
{
    [Fact]
    public void AzureYaml_ProvisionsMainBicep_ThenRunsTheHook()
    {
        var azure = Yaml.Documents(Repository.Path("azure.yaml")).Single();

        Assert.Equal("bicep", azure.Text("infra", "provider"));
        Assert.True(File.Exists(Repository.Path(azure.Text("infra", "path")!, azure.Text("infra", "module")! + ".bicep")));
        var hook = azure.Text("hooks", "postprovision", "posix", "run")!;
        Assert.True(File.Exists(Repository.Path(hook)), hook);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(Repository.Path(hook)).HasFlag(UnixFileMode.UserExecute), $"{hook} is not executable.");
        }
    }

    [Fact]
    public void ParametersFile_SetsOnlyDeclaredParameters_AndEveryRequiredOne()
    {
        using var file = JsonDocument.Parse(Repository.Read("bicep", "main.parameters.json"));
        var given = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var declared = compiled.Main.Root.GetProperty("parameters").EnumerateObject().ToList();

        Assert.Subset(declared.Select(p => p.Name).ToHashSet(StringComparer.Ordinal), given);
        Assert.All(declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)), p => Assert.Contains(p.Name, given));
    }

    [Fact]
    public void Hook_ReadsOutputsOfMainBicep_AndSetsTheImageTheParametersRead()
    {
        var hook = Repository.Read("infra", "azd", "postprovision.sh");
        var parameters = Repository.Read("bicep", "main.parameters.json");
        var outputs = compiled.Main.Root.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        var read = VariablePattern().Matches(hook).Select(m => m.Groups[1].Value).Where(v => v.StartsWith("AZURE_", StringComparison.Ordinal) || v == "MOE_FUNCTION_APP_IDS").ToHashSet();
        Assert.NotEmpty(read);
        Assert.All(read, v => Assert.Contains(v, outputs));
        var set = SetPattern().Matches(hook).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("MOE_FUNCTIONS_IMAGE", set);
        Assert.Contains("${MOE_FUNCTIONS_IMAGE}", parameters, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$\{?([A-Z][A-Z0-9_]+)")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"azd env set ([A-Z][A-Z0-9_]+)")]
    private static partial Regex SetPattern();
}
