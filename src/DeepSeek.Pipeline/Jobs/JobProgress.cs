using System.Collections.Concurrent;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>Everything stored about a job, read at one moment: record, failure, manifest and chunk markers.</summary>
/// <param name="Record">The job record.</param>
/// <param name="Failure">Why the job failed, if it did.</param>
/// <param name="Manifest">How it was split, once it was.</param>
/// <param name="Outcomes">The chunk markers present, by chunk index.</param>
internal sealed record JobProgress(JobRecord Record, JobFailure? Failure, JobManifest? Manifest, IReadOnlyDictionary<int, ChunkOutcome> Outcomes)
{
    private const int ReadConcurrency = 16;

    /// <summary>Gets whether every line is done (the job did not fail).</summary>
    public bool Finished => Failure is null && Manifest is not null && Manifest.Chunks.All(c => Outcomes.ContainsKey(c.Index));

    public static async Task<JobProgress?> LoadAsync(PipelineStorage storage, string jobId, CancellationToken ct)
    {
        if (!JobIds.IsValid(jobId))
        {
            return null;
        }

        var container = storage.Layout.JobsContainer;
        var recordData = await storage.TryReadAsync(container, StorageLayout.JobRecordBlob(jobId), ct).ConfigureAwait(false);
        if (recordData is null)
        {
            return null;
        }

        var record = MessageJson.Read(recordData.ToString(), JobJsonContext.Default.JobRecord);
        var failureData = await storage.TryReadAsync(container, StorageLayout.JobFailedBlob(jobId), ct).ConfigureAwait(false);
        var failure = failureData is null ? null : MessageJson.Read(failureData.ToString(), PipelineJsonContext.Default.JobFailure);
        var manifest = await ReadManifestAsync(storage, jobId, ct).ConfigureAwait(false);
        var outcomes = manifest is null ? new Dictionary<int, ChunkOutcome>() : await ReadOutcomesAsync(storage, jobId, ct).ConfigureAwait(false);
        return new JobProgress(record, failure, manifest, outcomes);
    }

    public static async Task<JobManifest?> ReadManifestAsync(PipelineStorage storage, string jobId, CancellationToken ct)
    {
        var data = await storage.TryReadAsync(storage.Layout.JobsContainer, StorageLayout.JobManifestBlob(jobId), ct).ConfigureAwait(false);
        return data is null ? null : MessageJson.Read(data.ToString(), JobJsonContext.Default.JobManifest);
    }

    public static async Task<IReadOnlyDictionary<int, ChunkOutcome>> ReadOutcomesAsync(PipelineStorage storage, string jobId, CancellationToken ct)
    {
        var container = storage.Layout.JobsContainer;
        var names = await storage.ListAsync(container, StorageLayout.JobDonePrefix(jobId), ct).ConfigureAwait(false);
        var outcomes = new ConcurrentDictionary<int, ChunkOutcome>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(names, parallel, async (name, token) =>
        {
            // Markers are create-if-absent and never deleted: listed means readable.
            var data = await storage.TryReadAsync(container, name, token).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The chunk marker '{name}' is listed but cannot be read.");
            var outcome = MessageJson.Read(data.ToString(), PipelineJsonContext.Default.ChunkOutcome);
            outcomes[outcome.Chunk] = outcome;
        }).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Counts lines: invalid lines fail from the start; a chunk's lines count once its marker is stored.</summary>
    public JobView View()
    {
        var jobId = Record.JobId;
        if (Manifest is null)
        {
            return Failure is null
                ? new JobView(jobId, RequestStatus.Queued, Record.Lines, 0, 0)
                : new JobView(jobId, RequestStatus.Failed, Record.Lines, 0, 0, Failure.Error);
        }

        int succeeded = 0, failed = Manifest.Errors.Length;
        foreach (var chunk in Manifest.Chunks)
        {
            if (Outcomes.TryGetValue(chunk.Index, out var outcome))
            {
                if (outcome.Status == RequestStatus.Succeeded)
                {
                    succeeded += chunk.Lines.Length;
                }
                else
                {
                    failed += chunk.Lines.Length;
                }
            }
        }

        string status = Failure is not null ? RequestStatus.Failed : Finished ? RequestStatus.Succeeded : RequestStatus.Running;
        return new JobView(jobId, status, Manifest.Lines, succeeded, failed, Failure?.Error);
    }
}
