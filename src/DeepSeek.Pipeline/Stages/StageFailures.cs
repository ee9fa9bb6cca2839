using System.Globalization;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Stages;

/// <summary>
/// Remembers the last error of a request's stage (<c>state/{id}/error.txt</c>) before the message is retried,
/// so that the poison handler can record why a request failed, not only that it did.
/// </summary>
public sealed class StageFailures(PipelineStorage storage, TimeProvider time, ILogger<StageFailures> logger)
{
    /// <summary>The state blob holding the last error of a request.</summary>
    /// <param name="requestId">The request.</param>
    /// <returns>The blob name.</returns>
    public static string ErrorBlob(string requestId) => $"{requestId}/error.txt";

    /// <summary>Runs a stage body; on failure records the error, then rethrows so the host retries the message.</summary>
    /// <param name="stage">The stage name.</param>
    /// <param name="requestId">The request.</param>
    /// <param name="body">The work.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task RunAsync(string stage, string requestId, Func<Task> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PipelineLog.StageFailed(logger, stage, requestId, ex);
            var text = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():O} {stage}: {ex.GetType().Name}: {ex.Message}");
            try
            {
                await storage.WriteAsync(storage.Layout.StateContainer, ErrorBlob(requestId), BinaryData.FromString(text), cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException)
            {
                // Storage itself is failing: the retry will record it, or the poison handler reports no reason.
            }

            throw;
        }
    }

    /// <summary>Reads the last recorded error of a request.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The error text, or null.</returns>
    public async Task<string?> LastErrorAsync(string requestId, CancellationToken cancellationToken) =>
        (await storage.TryReadAsync(storage.Layout.StateContainer, ErrorBlob(requestId), cancellationToken).ConfigureAwait(false))?.ToString();
}
