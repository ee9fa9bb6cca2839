using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// The jobs queue handler: splits a submitted job into chunks (the manifest, written create-if-absent and reused
/// on redelivery, so chunking and seeds never change) and submits every chunk not yet done as a gate request
/// with the id <see cref="StorageLayout.ChunkRequestId"/>. Submitting a chunk twice is harmless.
/// </summary>
public sealed class JobStage(
    PipelineStorage storage,
    ModelRegistry models,
    InferenceSubmitter submitter,
    StageFailures failures,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<JobStage> logger)
{
    private const int SubmitConcurrency = 8;
    private readonly PipelineOptions _options = options.Value;

    /// <summary>Handles one jobs-queue message.</summary>
    /// <param name="message">The message text (a <see cref="JobMessage"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidDataException">The message is malformed, or the job's record or input is missing.</exception>
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var job = MessageJson.Read(message, PipelineJsonContext.Default.JobMessage);
        if (!JobIds.IsValid(job.JobId))
        {
            throw new InvalidDataException($"The job message names '{job.JobId}', which is not a job id.");
        }

        await failures.RunAsync(nameof(JobStage), job.JobId, () => SplitAsync(job.JobId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The routing seed of a chunk whose lines ask for none: the first 8 bytes (little-endian) of
    /// SHA-256(UTF-8 "<paramref name="jobId"/>/<paramref name="chunk"/>"), so a redelivered job gets the same seeds.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="chunk">The chunk index.</param>
    /// <returns>The seed.</returns>
    public static ulong ChunkSeed(string jobId, int chunk)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{jobId}/{chunk}")));
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    private async Task SplitAsync(string jobId, CancellationToken ct)
    {
        var container = storage.Layout.JobsContainer;
        if (await storage.ExistsAsync(container, StorageLayout.JobFailedBlob(jobId), ct).ConfigureAwait(false))
        {
            PipelineLog.JobNothingToDo(logger, jobId, "already failed");
            return;
        }

        var recordData = await storage.TryReadAsync(container, StorageLayout.JobRecordBlob(jobId), ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Job {jobId} has no job record: it was never accepted.");
        var record = MessageJson.Read(recordData.ToString(), JobJsonContext.Default.JobRecord);
        var manifest = await JobProgress.ReadManifestAsync(storage, jobId, ct).ConfigureAwait(false);
        var done = manifest is null ? [] : (await JobProgress.ReadOutcomesAsync(storage, jobId, ct).ConfigureAwait(false)).Keys.ToHashSet();
        if (manifest is not null && manifest.Chunks.All(c => done.Contains(c.Index)))
        {
            PipelineLog.JobNothingToDo(logger, jobId, "every chunk done");
            return;
        }

        var input = await storage.TryReadAsync(container, StorageLayout.JobInputBlob(jobId), ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Job {jobId} has a record but no input blob.");
        var lines = JobInput.Lines(input.ToMemory().Span);
        if (lines.Count > _options.MaxJobLines)
        {
            await FailAsync(jobId, $"The job holds {lines.Count} lines; at most {_options.MaxJobLines} are accepted (setting Pipeline:MaxJobLines).", ct).ConfigureAwait(false);
            return;
        }

        var parsed = JobSplitter.Parse(input.ToMemory().Span, lines, record.Model, models, _options.MaxRowsPerRequest);
        manifest ??= await WriteManifestAsync(jobId, parsed, ct).ConfigureAwait(false);

        var pending = manifest.Chunks.Where(c => !done.Contains(c.Index)).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = SubmitConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(pending, parallel, (chunk, token) => new ValueTask(SubmitChunkAsync(jobId, record.Owner, chunk, parsed, token))).ConfigureAwait(false);
        PipelineLog.JobChunksSubmitted(logger, jobId, pending.Count, manifest.Chunks.Length - pending.Count);
    }

    private async Task<JobManifest> WriteManifestAsync(string jobId, ParsedLine[] parsed, CancellationToken ct)
    {
        var made = new JobManifest(jobId, parsed.Length, JobSplitter.Chunk(jobId, parsed, _options.JobChunkRows), JobSplitter.Errors(parsed), time.GetUtcNow());
        bool created = await storage.TryCreateAsync(storage.Layout.JobsContainer, StorageLayout.JobManifestBlob(jobId),
            MessageJson.Write(made, JobJsonContext.Default.JobManifest), ct).ConfigureAwait(false);
        var manifest = created ? made : await JobProgress.ReadManifestAsync(storage, jobId, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The manifest of job {jobId} was reported present but cannot be read.");
        PipelineLog.JobSplit(logger, jobId, manifest.Lines, manifest.Errors.Length, manifest.Chunks.Length);
        return manifest;
    }

    private async Task SubmitChunkAsync(string jobId, RequestOwner owner, JobChunk chunk, ParsedLine[] parsed, CancellationToken ct)
    {
        if (!models.TryGet(chunk.Model, out var bundle))
        {
            throw new UnknownModelException($"Job {jobId} chunk {chunk.Index} runs on model '{chunk.Model}', which this instance no longer serves.");
        }

        int cols = bundle.Manifest.DModel, rows = chunk.Rows.Sum();
        var x = new float[checked(rows * cols)];
        int offset = 0;
        foreach (var number in chunk.Lines)
        {
            var line = number >= 1 && number <= parsed.Length ? parsed[number - 1] : null;
            if (line?.X is not { } values || values.Length != line.Rows * cols)
            {
                throw new InvalidDataException($"Job {jobId} line {number} of chunk {chunk.Index} no longer parses as it did when the job was split: {line?.Error ?? "no such line"}");
            }

            values.CopyTo(x, offset);
            offset += values.Length;
        }

        if (offset != x.Length)
        {
            throw new InvalidDataException($"Job {jobId} chunk {chunk.Index} holds {offset / cols} rows; its manifest says {rows}.");
        }

        await submitter.SubmitAsync(StorageLayout.ChunkRequestId(jobId, chunk.Index), chunk.Model, x, rows, cols, chunk.Seed, owner, jobId, chunk.Index, ChunkMetadata(chunk, parsed), ct).ConfigureAwait(false);
    }

    // The lines' metadata was redacted when the job was accepted; a chunk's request carries it as {line}/{key}.
    private static SortedDictionary<string, string>? ChunkMetadata(JobChunk chunk, ParsedLine[] parsed)
    {
        SortedDictionary<string, string>? metadata = null;
        foreach (var number in chunk.Lines)
        {
            foreach (var (key, value) in parsed[number - 1].Metadata ?? new Dictionary<string, string?>())
            {
                metadata ??= new SortedDictionary<string, string>(StringComparer.Ordinal);
                metadata[string.Create(CultureInfo.InvariantCulture, $"{number}/{key}")] = value ?? "";
            }
        }

        return metadata;
    }

    private async Task FailAsync(string jobId, string error, CancellationToken ct)
    {
        var failure = new JobFailure(jobId, error, time.GetUtcNow());
        await storage.TryCreateAsync(storage.Layout.JobsContainer, StorageLayout.JobFailedBlob(jobId),
            MessageJson.Write(failure, PipelineJsonContext.Default.JobFailure), ct).ConfigureAwait(false);
        PipelineLog.JobFailed(logger, jobId, error);
    }
}
