using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Stages;

/// <summary>
/// Handles a message that exhausted its deliveries (it sits in <c>&lt;queue&gt;-poison</c>): records a failed
/// result with the last recorded error, a failure audit record and job progress, so no caller waits forever.
/// A message it cannot read is rethrown, so the host keeps it rather than losing it.
/// </summary>
public sealed class PoisonStage(PipelineStorage storage, OutcomeWriter outcomes, StageFailures failures, TimeProvider time, ILogger<PoisonStage> logger)
{
    /// <summary>Handles one poison message.</summary>
    /// <param name="poisonQueue">The poison queue it came from (for example <c>moe-gate-poison</c>).</param>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task HandleAsync(string poisonQueue, string message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(poisonQueue);
        var layout = storage.Layout;
        var source = poisonQueue.EndsWith(StorageLayout.PoisonSuffix, StringComparison.Ordinal) ? poisonQueue[..^StorageLayout.PoisonSuffix.Length] : poisonQueue;
        try
        {
            if (source == layout.JobsQueue)
            {
                var job = MessageJson.Read(message, PipelineJsonContext.Default.JobMessage);
                if (!JobIds.IsValid(job.JobId))
                {
                    throw new InvalidDataException($"'{job.JobId}' is not a job id.");
                }

                await FailJobAsync(job.JobId, source, cancellationToken).ConfigureAwait(false);
                PipelineLog.PoisonRecorded(logger, poisonQueue, job.JobId);
                return;
            }

            string requestId = source == layout.GateQueue ? MessageJson.Read(message, PipelineJsonContext.Default.GateMessage).Request.RequestId
                : source == layout.AggregateQueue ? MessageJson.Read(message, PipelineJsonContext.Default.AggregateMessage).RequestId
                : source.StartsWith(layout.Prefix + "-expert-", StringComparison.Ordinal) ? MessageJson.Read(message, PipelineJsonContext.Default.ExpertMessage).RequestId
                : throw new InvalidDataException($"'{poisonQueue}' is not a poison queue of this pipeline (prefix '{layout.Prefix}').");
            if (!Http.InferenceApi.IsValidId(requestId))
            {
                throw new InvalidDataException($"'{requestId}' is not a request id.");
            }

            await FailRequestAsync(requestId, source, cancellationToken).ConfigureAwait(false);
            PipelineLog.PoisonRecorded(logger, poisonQueue, requestId);
        }
        catch (InvalidDataException ex)
        {
            PipelineLog.PoisonUnreadable(logger, poisonQueue, ex);
            throw;
        }
    }

    private async Task FailRequestAsync(string requestId, string queue, CancellationToken ct)
    {
        var state = storage.Layout.StateContainer;
        var requestData = await storage.TryReadAsync(state, StorageLayout.RequestBlob(requestId), ct).ConfigureAwait(false);
        var planData = await storage.TryReadAsync(state, StorageLayout.PlanBlob(requestId), ct).ConfigureAwait(false);
        var request = requestData is null ? null : MessageJson.Read(requestData.ToString(), PipelineJsonContext.Default.RequestRecord);
        var plan = planData is null ? null : MessageJson.Read(planData.ToString(), PipelineJsonContext.Default.RoutingPlan);
        request ??= plan?.Request;
        var reason = await failures.LastErrorAsync(requestId, ct).ConfigureAwait(false);
        var result = new InferenceResult
        {
            RequestId = requestId,
            Status = RequestStatus.Failed,
            Model = plan?.Model,
            Seed = request?.Seed,
            Routing = plan is null ? null : [.. plan.Experts.Zip(plan.Weights, (e, w) => new RowRouting(e, w))],
            Error = $"The request's message on {queue} failed on every delivery and was moved to {StorageLayout.Poison(queue)}. Last error: {reason ?? "not recorded"}",
            JobId = request?.JobId,
            Chunk = request?.Chunk,
            CompletedAt = time.GetUtcNow(),
        };
        await outcomes.WriteAsync(result, request, plan, ct).ConfigureAwait(false);
    }

    private async Task FailJobAsync(string jobId, string queue, CancellationToken ct)
    {
        var failure = new JobFailure(jobId, $"The job's message on {queue} failed on every delivery. Last error: {await failures.LastErrorAsync(jobId, ct).ConfigureAwait(false) ?? "not recorded"}", time.GetUtcNow());
        await storage.TryCreateAsync(storage.Layout.JobsContainer, StorageLayout.JobFailedBlob(jobId),
            MessageJson.Write(failure, PipelineJsonContext.Default.JobFailure), ct).ConfigureAwait(false);
    }
}
