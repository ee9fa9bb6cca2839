using System.Reflection;
using System.Text.Json;
using DeepSeek.Pipeline.Local;

namespace DeepSeek.Functions.Tests;

/// <summary>The function app's build output for this test run's configuration (the project reference builds it first).</summary>
internal static class BuiltApp
{
    public static string Directory { get; } = Locate();

    public static JsonElement ReadJson(string file)
    {
        var path = Path.Combine(Directory, file);
        Assert.True(File.Exists(path), $"{path} is missing: build src/DeepSeek.Functions first.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static string Locate()
    {
        var root = AzuriteServer.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory);
        var configuration = typeof(BuiltApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.Combine(root, "src", "DeepSeek.Functions", "bin", configuration, "net10.0");
    }
}
