using System.Text.Json;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Ingress;

/// <summary>
/// Puts a validated request into the pipeline: the payload inline when the gate message stays under the
/// limit, else in a claim-check blob; the request record create-if-absent; then the gate message.
/// Submitting the same request id twice is harmless.
/// </summary>
public sealed class InferenceSubmitter(PipelineStorage storage, IOptions<PipelineOptions> options, TimeProvider time, ILogger<InferenceSubmitter> logger)
{
    private readonly PipelineOptions _options = options.Value;

    /// <summary>Submits a request whose input is already validated.</summary>
    /// <param name="requestId">The request id.</param>
    /// <param name="model">The model id.</param>
    /// <param name="x">Row-major input.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Row width.</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="owner">Whom the request belongs to: the tenant, and the caller's pseudonym (<see cref="Privacy.Pseudonymizer.Caller"/>; never a raw caller id), if authenticated.</param>
    /// <param name="jobId">The job, for job chunks.</param>
    /// <param name="chunk">The chunk index, for job chunks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The request record as stored.</returns>
    public Task<RequestRecord> SubmitAsync(string requestId, string model, float[] x, int rows, int cols, ulong seed,
        RequestOwner? owner, string? jobId, int? chunk, CancellationToken cancellationToken) =>
        SubmitAsync(requestId, model, x, rows, cols, seed, owner, jobId, chunk, null, cancellationToken);

    /// <summary>Submits a request whose input is already validated, with metadata.</summary>
    /// <param name="requestId">The request id.</param>
    /// <param name="model">The model id.</param>
    /// <param name="x">Row-major input.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Row width.</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="owner">Whom the request belongs to: the tenant, and the caller's pseudonym (<see cref="Privacy.Pseudonymizer.Caller"/>; never a raw caller id), if authenticated.</param>
    /// <param name="jobId">The job, for job chunks.</param>
    /// <param name="chunk">The chunk index, for job chunks.</param>
    /// <param name="metadata">The metadata, already redacted (<see cref="Privacy.Redactor"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The request record as stored.</returns>
    public async Task<RequestRecord> SubmitAsync(string requestId, string model, float[] x, int rows, int cols, ulong seed,
        RequestOwner? owner, string? jobId, int? chunk, SortedDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var record = new RequestRecord
        {
            RequestId = requestId,
            Model = model,
            Seed = seed,
            Rows = rows,
            Cols = cols,
            InputSha256 = FloatPayload.Sha256(x),
            Payload = new PayloadRef(FloatPayload.ToBase64(x), null),
            SubmittedAt = time.GetUtcNow(),
            Caller = owner?.Caller,
            Tenant = owner?.Tenant,
            JobId = jobId,
            Chunk = chunk,
            Metadata = metadata,
        };
        var message = JsonSerializer.SerializeToUtf8Bytes(new GateMessage(GateMessage.Current, record), PipelineJsonContext.Default.GateMessage);
        bool inline = message.Length <= _options.InlinePayloadLimitBytes;
        if (!inline)
        {
            var blob = StorageLayout.PayloadBlob(requestId);
            await storage.TryCreateAsync(storage.Layout.PayloadsContainer, blob, BinaryData.FromBytes(FloatPayload.ToBytes(x)), cancellationToken).ConfigureAwait(false);
            record = record with { Payload = new PayloadRef(null, blob) };
            message = JsonSerializer.SerializeToUtf8Bytes(new GateMessage(GateMessage.Current, record), PipelineJsonContext.Default.GateMessage);
        }

        await storage.TryCreateAsync(storage.Layout.StateContainer, StorageLayout.RequestBlob(requestId),
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(record, PipelineJsonContext.Default.RequestRecord)), cancellationToken).ConfigureAwait(false);
        await storage.SendAsync(storage.Layout.GateQueue, BinaryData.FromBytes(message), cancellationToken).ConfigureAwait(false);
        PipelineLog.RequestAccepted(logger, requestId, model, rows, inline ? "inline" : "claim-check");
        return record;
    }
}
