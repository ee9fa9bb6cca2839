using System.Diagnostics;

namespace DeepSeek.Deployment.Tests;

/// <summary>The bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package (offline: local modules, built-in types only).</summary>
internal static class BicepCli
{
    public static BicepResult Run(params string[] arguments)
    {
        var executable = Repository.BicepExecutable;
        Assert.True(File.Exists(executable), $"The bicep CLI is missing at {executable}: restore the test project.");
        // NuGet extraction does not always keep the execute bit.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No ICU is needed for compiling, and none may be installed on a CI machine.
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran past 3 minutes.");
        }

        return new BicepResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
