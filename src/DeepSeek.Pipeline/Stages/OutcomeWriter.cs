using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Stages;

/// <summary>
/// Records the outcome of a request, in this order: the result (create-if-absent), the audit record (appended to its
/// chain once per request, see <see cref="AuditLog"/>), the job chunk marker (create-if-absent). Whoever loses a race
/// adopts the stored result, so every later write agrees with it (the audit partition follows from the stored
/// result's completion time); a crash between the writes is healed by the next delivery.
/// </summary>
public sealed class OutcomeWriter(PipelineStorage storage, ModelRegistry models, AuditLog audit, AuditInputKeeper inputs)
{
    /// <summary>Stores a result (or adopts the one already stored), then its audit record and job progress.</summary>
    /// <param name="result">The outcome this caller computed.</param>
    /// <param name="request">The request record, if known.</param>
    /// <param name="plan">The routing plan, if one was made.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored result and whether this call stored it.</returns>
    public async Task<(InferenceResult Result, bool Created)> WriteAsync(InferenceResult result, RequestRecord? request, RoutingPlan? plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var results = storage.Layout.ResultsContainer;
        var name = StorageLayout.ResultBlob(result.RequestId);
        bool created = await storage.TryCreateAsync(results, name, MessageJson.Write(result, PipelineJsonContext.Default.InferenceResult), cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            var stored = await storage.TryReadAsync(results, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The result of {result.RequestId} was reported present but cannot be read.");
            result = MessageJson.Read(stored.ToString(), PipelineJsonContext.Default.InferenceResult);
        }

        request ??= plan?.Request;
        var record = Audit(result, request, plan) with { Input = await inputs.KeepAsync(request, cancellationToken).ConfigureAwait(false) };
        await audit.AppendAsync(audit.Partition(result.CompletedAt, result.RequestId), result.RequestId, record,
            PipelineJsonContext.Default.AuditRecord, cancellationToken).ConfigureAwait(false);

        if (result.JobId is { } jobId && result.Chunk is { } chunk)
        {
            var marker = new ChunkOutcome(chunk, result.RequestId, result.Status, result.Outputs?.Length ?? 0, result.Error);
            await storage.TryCreateAsync(storage.Layout.JobsContainer, StorageLayout.JobDoneBlob(jobId, chunk),
                MessageJson.Write(marker, PipelineJsonContext.Default.ChunkOutcome), cancellationToken).ConfigureAwait(false);
        }

        return (result, created);
    }

    /// <summary>
    /// Tells whether a request's outcome is completely recorded: its last write (the job chunk marker for job
    /// chunks, else the audit record) exists. A crash before that write leaves this false, so the next delivery heals it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when nothing is left to write.</returns>
    public Task<bool> IsRecordedAsync(RequestRecord request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request is { JobId: { } jobId, Chunk: { } chunk }
            ? storage.ExistsAsync(storage.Layout.JobsContainer, StorageLayout.JobDoneBlob(jobId, chunk), cancellationToken)
            : storage.ExistsAsync(storage.Layout.AuditContainer, StorageLayout.AuditBlob(request.RequestId), cancellationToken);
    }

    private AuditRecord Audit(InferenceResult result, RequestRecord? request, RoutingPlan? plan) => new()
    {
        RequestId = result.RequestId,
        JobId = result.JobId ?? request?.JobId,
        Chunk = result.Chunk ?? request?.Chunk,
        Caller = request?.Caller,
        Tenant = request?.Tenant,
        SubmittedAt = request?.SubmittedAt,
        CompletedAt = result.CompletedAt,
        Model = Describe(result, request),
        Seed = result.Seed ?? request?.Seed,
        Routing = result.Routing,
        ActivatedExperts = plan?.Activated.Select(a => a.Expert).ToArray(),
        Outputs = result.Outputs,
        Status = result.Status,
        Error = result.Error,
        Metadata = request?.Metadata,
    };

    private AuditModel? Describe(InferenceResult result, RequestRecord? request)
    {
        var id = result.Model?.Id ?? request?.Model;
        var described = id is null ? null : models.Describe(id);
        if (described is not null && result.Model is { } m && m.Version != described.Version)
        {
            // The instance now serves another version: keep the version that ran, without file hashes it cannot vouch for.
            return new AuditModel(m.Id, m.Version, new Dictionary<string, string>());
        }

        return described ?? (result.Model is { } known ? new AuditModel(known.Id, known.Version, new Dictionary<string, string>()) : null);
    }
}
