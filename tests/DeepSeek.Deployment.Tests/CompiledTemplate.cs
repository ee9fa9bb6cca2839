using System.Text.Json;
using DeepSeek.Deployment.Tests.Arm;

namespace DeepSeek.Deployment.Tests;

/// <summary>
/// bicep/main.bicep compiled once per test run (bicep build into a temporary folder), parsed, and evaluated
/// with its default parameters for an environment named <see cref="EnvironmentName"/>.
/// </summary>
public sealed class CompiledTemplate : IDisposable
{
    public const string EnvironmentName = "test";

    private readonly TempFolder _folder = new();

    public CompiledTemplate()
    {
        var output = _folder.Sub("main.json");
        Build = BicepCli.Run("build", Repository.Path("bicep", "main.bicep"), "--outfile", output);
        Text = File.Exists(output) ? File.ReadAllText(output) : "{}";
        var root = JsonDocument.Parse(Text).RootElement.Clone();
        Main = new ArmTemplate(root, "main");
        Evaluator = Build.ExitCode == 0
            ? ArmEvaluator.For(root, new Dictionary<string, object?> { ["environmentName"] = EnvironmentName, ["location"] = "swedencentral" })
            : null;
    }

    internal BicepResult Build { get; }

    /// <summary>Gets the ARM JSON as written.</summary>
    public string Text { get; }

    internal ArmTemplate Main { get; }

    internal ArmEvaluator? Evaluator { get; }

    /// <summary>Evaluates a module of main.bicep (index: the iteration of a module loop).</summary>
    internal ArmEvaluator Module(string symbolicName, long index = 0)
    {
        Assert.True(Evaluator is not null, Build.ToString());
        return Evaluator.Module(Main.Resource(symbolicName), index);
    }

    public void Dispose() => _folder.Dispose();
}
