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

    /// <summary>The audience the evaluation passes (the parameter has no default).</summary>
    public const string AuthAudience = "api://deepseek-functions-test";

    private readonly TempFolder _folder = new();

    public CompiledTemplate()
    {
        var output = _folder.Sub("main.json");
        Build = BicepCli.Run("build", Repository.Path("bicep", "main.bicep"), "--outfile", output);
        Text = File.Exists(output) ? File.ReadAllText(output) : "{}";
        var root = JsonDocument.Parse(Text).RootElement.Clone();
        Main = new ArmTemplate(root, "main");
        Evaluator = Build.ExitCode == 0 ? With() : null;
    }

    internal BicepResult Build { get; }

    /// <summary>Gets the ARM JSON as written.</summary>
    public string Text { get; }

    internal ArmTemplate Main { get; }

    internal ArmEvaluator? Evaluator { get; }

    /// <summary>Evaluates main.bicep with its required parameters and the given ones.</summary>
    internal ArmEvaluator With(params (string Name, object? Value)[] parameters)
    {
        var given = new Dictionary<string, object?>
        {
            ["environmentName"] = EnvironmentName,
            ["location"] = "swedencentral",
            ["authAudience"] = AuthAudience,
        };
        foreach (var (name, value) in parameters)
        {
            given[name] = value;
        }

        return ArmEvaluator.For(Main.Root, given);
    }

    /// <summary>Evaluates a module of main.bicep (index: the iteration of a module loop).</summary>
    internal ArmEvaluator Module(string symbolicName, long index = 0)
    {
        Assert.True(Evaluator is not null, Build.ToString());
        return Evaluator.Module(Main.Resource(symbolicName), index);
    }

    public void Dispose() => _folder.Dispose();
}
