using System.Reflection;
using DeepSeek.Pipeline.Local;

namespace DeepSeek.Deployment.Tests;

/// <summary>Where the deployment files, the built function app and the bicep CLI of this test run are.</summary>
internal static class Repository
{
    public static string Root { get; } = AzuriteServer.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("No repository root (package.json beside DeepSeek.Functions.sln) above " + AppContext.BaseDirectory);

    public static string BicepExecutable { get; } = Metadata("BicepExecutable");

    /// <summary>The function app's build output for this configuration (the project reference builds it first).</summary>
    public static string FunctionsOutput { get; } = System.IO.Path.Combine(Root, "src", "DeepSeek.Functions", "bin",
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug", "net10.0");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
