using System.Diagnostics;

namespace DeepSeek.Moe.Native.Tests;

/// <summary>Runs the native GoogleTest suite (built by this project's CMake step) through ctest, so `dotnet test` reports it too.</summary>
public sealed class NativeCTestSuiteTests
{
    [Fact]
    public async Task CTest_NativeSuite_AllPass()
    {
        var root = DeepSeek.Pipeline.Local.AzuriteServer.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var buildDir = Path.Combine(root, "native", "build", configuration);
        Assert.True(File.Exists(Path.Combine(buildDir, "CTestTestfile.cmake")), $"No ctest suite in {buildDir}: the native build did not run (or GoogleTest was not found).");

        var start = new ProcessStartInfo("ctest") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--test-dir", buildDir, "--output-on-failure" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"ctest failed:\n{output}\n{error}");
        Assert.Contains("100% tests passed", output);
        Assert.DoesNotContain("No tests were found", output);
    }
}
