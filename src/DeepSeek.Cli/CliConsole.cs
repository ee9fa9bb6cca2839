using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Import;
using DeepSeek.Moe.Native;

namespace DeepSeek.Cli;

/// <summary>Where commands write, and the one place that turns expected failures into a message and exit code 1.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            await Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    public int Guard(Func<int> action) => GuardAsync(() => Task.FromResult(action())).GetAwaiter().GetResult();

    private static bool IsExpected(Exception ex) => ex is BundleException or InvalidInputException
        or ExecutionProviderUnavailableException or IOException or UnauthorizedAccessException
        or System.Text.Json.JsonException or ArgumentException or CliUsageException or ImportException
        or NativeLibraryLoadException or NativeException or Pipeline.Audit.AuditReplayException or Azure.RequestFailedException
        or InvalidOperationException or System.Security.Cryptography.CryptographicException;
}
