using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Stages;

/// <summary>
/// Runs one expert on its rows of a request, stores the partial output create-if-absent (a conflict means
/// the work was already done: success), then tells the aggregate stage.
/// </summary>
public sealed class ExpertStage(PipelineStorage storage, ModelRegistry models, PayloadReader payloads, StageFailures failures, ILogger<ExpertStage> logger)
{
    /// <summary>Handles one expert message.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var work = MessageJson.Read(message, PipelineJsonContext.Default.ExpertMessage);
        await failures.RunAsync(nameof(ExpertStage), work.RequestId, () => RunAsync(work, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(ExpertMessage work, CancellationToken ct)
    {
        var batching = models.Batching(work.Model);
        var engine = batching.Engine;
        int d = engine.DModel, n = work.Rows.Length;
        var payload = await payloads.ReadAsync(work.Payload, ct).ConfigureAwait(false);
        var x = payload.Length == n * d ? payload : Gather(payload, work.Rows, d, work.RequestId);

        // Concurrent messages for the same expert in this instance run as one kernel call (Moe:Batching).
        var y = work.Expert < engine.ExpertCount
            ? await batching.RunExpertAsync(work.Expert, x, n, ct).ConfigureAwait(false)
            : await batching.RunSharedExpertAsync(work.Expert - engine.ExpertCount, x, n, ct).ConfigureAwait(false);

        bool created = await storage.TryCreateAsync(storage.Layout.StateContainer, StorageLayout.PartialBlob(work.RequestId, work.Expert),
            BinaryData.FromBytes(FloatPayload.ToBytes(y)), ct).ConfigureAwait(false);
        var done = new AggregateMessage(AggregateMessage.Current, work.RequestId, work.Expert);
        await storage.SendAsync(storage.Layout.AggregateQueue, MessageJson.Write(done, PipelineJsonContext.Default.AggregateMessage), ct).ConfigureAwait(false);
        PipelineLog.ExpertRan(logger, work.Expert, n, work.RequestId, created ? "created" : "already present");
    }

    private static float[] Gather(float[] payload, int[] rows, int d, string requestId)
    {
        var x = new float[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            if ((rows[i] + 1) * d > payload.Length)
            {
                throw new InvalidDataException($"Request {requestId}: row {rows[i]} is outside the payload of {payload.Length / d} rows.");
            }

            payload.AsSpan(rows[i] * d, d).CopyTo(x.AsSpan(i * d));
        }

        return x;
    }
}
