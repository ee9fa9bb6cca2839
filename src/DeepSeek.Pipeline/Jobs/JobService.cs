using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Security;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// The batch jobs API behind <c>POST /api/v1/jobs</c>, <c>GET /api/v1/jobs/{id}</c> and <c>GET /api/v1/jobs/{id}/output</c>:
/// accepts a JSONL body (one <c>{"inputs":[[...]],"model"?,"options":{"seed"?}}</c> per line), reports progress in
/// lines, and writes the output in input order. Lines are validated by <see cref="JobStage"/>, not here: a bad line
/// fails alone and never the job.
/// </summary>
public sealed class JobService(PipelineStorage storage, ModelRegistry models, Privacy.Redactor redactor, IOptions<PipelineOptions> options, TimeProvider time, ILogger<JobService> logger)
{
    private readonly PipelineOptions _options = options.Value;

    /// <summary>Accepts a job: stores its input and record, then queues it for splitting.</summary>
    /// <param name="model">The job's model (a line's <c>"model"</c> overrides it for that line).</param>
    /// <param name="jsonl">The JSONL body; read to its end, not disposed.</param>
    /// <param name="owner">Whom the job belongs to (tenant, and the caller's pseudonym from <see cref="Privacy.Pseudonymizer.Caller"/>, never a raw caller id), if authenticated; its chunks' requests carry it too.</param>
    /// <param name="mayUseModel">Tells whether the caller may use a model; checked for the job's model and every model a line names. Null allows all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new job id (<c>job-</c> and 26 lowercase base32 characters).</returns>
    /// <exception cref="UnknownModelException">The model is not served here.</exception>
    /// <exception cref="ModelAccessDeniedException">The job or one of its lines names a model the caller may not use; nothing is stored.</exception>
    /// <exception cref="JobTooLargeException">The body is over <see cref="PipelineOptions.MaxRequestBytes"/> or holds more than <see cref="PipelineOptions.MaxJobLines"/> lines.</exception>
    /// <exception cref="InvalidInputException">The body holds no lines.</exception>
    public async Task<string> SubmitAsync(string model, Stream jsonl, RequestOwner? owner, Func<string, bool>? mayUseModel, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(jsonl);
        if (!models.TryGet(model, out _))
        {
            throw new UnknownModelException($"Model '{model}' is not served here; known models: {string.Join(", ", models.Bundles.Select(b => b.Manifest.Id).Order(StringComparer.Ordinal))}.");
        }

        var body = await JobInput.ReadAsync(jsonl, _options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        var ranges = JobInput.Lines(body);
        int lines = ranges.Count;
        if (mayUseModel is not null && JobInput.ModelsNamed(body, ranges).Prepend(model).FirstOrDefault(m => !mayUseModel(m)) is { } denied)
        {
            throw new ModelAccessDeniedException(denied);
        }

        if (lines == 0)
        {
            throw new InvalidInputException("body", "holds no lines; a job takes one JSON object with \"inputs\" per line");
        }

        if (lines > _options.MaxJobLines)
        {
            throw new JobTooLargeException($"The job holds {lines} lines; at most {_options.MaxJobLines} are accepted (setting Pipeline:MaxJobLines).", _options.MaxJobLines);
        }

        // Lines may carry metadata (or anything else in strings): nothing is stored before it is redacted.
        body = JobInputRedactor.Redact(body, redactor);
        var jobId = JobIds.New(time);
        var container = storage.Layout.JobsContainer;
        if (!await storage.TryCreateAsync(container, StorageLayout.JobInputBlob(jobId), BinaryData.FromBytes(body), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The new job id {jobId} is already taken.");
        }

        var record = new JobRecord(jobId, model, owner?.Caller, time.GetUtcNow(), lines, body.LongLength, owner?.Tenant);
        await storage.TryCreateAsync(container, StorageLayout.JobRecordBlob(jobId), MessageJson.Write(record, JobJsonContext.Default.JobRecord), cancellationToken).ConfigureAwait(false);
        await storage.TryCreateAsync(container, StorageLayout.JobPendingBlob(jobId), BinaryData.Empty, cancellationToken).ConfigureAwait(false);
        await storage.SendAsync(storage.Layout.JobsQueue, MessageJson.Write(new JobMessage(JobMessage.Current, jobId), PipelineJsonContext.Default.JobMessage), cancellationToken).ConfigureAwait(false);
        PipelineLog.JobSubmitted(logger, jobId, model, lines, body.LongLength);
        return jobId;
    }

    /// <summary>Gets whom a job belongs to, from its job record.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The owner (with a null tenant for jobs accepted before access control), or null when no such job was accepted.</returns>
    public async Task<RequestOwner?> OwnerAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(jobId))
        {
            return null;
        }

        var data = await storage.TryReadAsync(storage.Layout.JobsContainer, StorageLayout.JobRecordBlob(jobId), cancellationToken).ConfigureAwait(false);
        return data is null ? null : MessageJson.Read(data.ToString(), JobJsonContext.Default.JobRecord).Owner;
    }

    /// <summary>Gets a job's status, counted in input lines.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The view, or null when no such job was accepted (or the id is not a job id).</returns>
    public async Task<JobView?> StatusAsync(string jobId, CancellationToken cancellationToken) =>
        (await JobProgress.LoadAsync(storage, jobId, cancellationToken).ConfigureAwait(false))?.View();

    /// <summary>Gets a job's output, when every line is done.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Unknown, pending or failed with the status, or ready with a writer of the JSONL output.</returns>
    public async Task<JobOutput> OutputAsync(string jobId, CancellationToken cancellationToken)
    {
        var progress = await JobProgress.LoadAsync(storage, jobId, cancellationToken).ConfigureAwait(false);
        if (progress is null)
        {
            return new JobOutput(JobOutputState.Unknown, null);
        }

        var view = progress.View();
        if (view.Status == RequestStatus.Failed)
        {
            return new JobOutput(JobOutputState.Failed, view);
        }

        if (!progress.Finished)
        {
            return new JobOutput(JobOutputState.Pending, view);
        }

        var manifest = progress.Manifest!;
        return new JobOutput(JobOutputState.Ready, view, (destination, ct) => new JobOutputWriter(storage, manifest).WriteAsync(destination, ct));
    }
}
