namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>bicep build and bicep lint of bicep/main.bicep and its modules: no error, no warning.</summary>
[Collection(BicepCollection.Name)]
public sealed class BicepBuildTests(CompiledTemplate compiled)
{
    [Fact]
    public void Build_MainBicep_CompilesWithoutDiagnostics()
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.ToString());
        Assert.True(compiled.Build.Errors.Trim().Length == 0, compiled.Build.ToString());
        Assert.Equal("2.0", compiled.Main.Root.GetProperty("languageVersion").GetString());
    }

    [Fact]
    public void Lint_MainBicep_ReportsNothing()
    {
        var lint = BicepCli.Run("lint", Repository.Path("bicep", "main.bicep"));

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.True((lint.Output + lint.Errors).Trim().Length == 0, lint.ToString());
    }

    [Fact]
    public void Lint_AModuleWithAWarning_FailsTheCheck()
    {
        // The check above must be able to fail: a copy of a module with an unused parameter is linted the same way.
        using var folder = new TempFolder();
        var file = folder.Sub("warned.bicep");
        File.WriteAllText(file, "param unused string\n");

        var lint = BicepCli.Run("lint", file);

        Assert.Contains("no-unused-params", lint.Output + lint.Errors, StringComparison.Ordinal);
    }
}
