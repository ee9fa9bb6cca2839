using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// Re-drives unfinished jobs when an instance starts. A crashed instance's in-flight queue messages stay
/// invisible for up to 10 minutes (the WebJobs listener's lease); re-sending each unfinished job's message
/// makes the jobs stage resubmit its chunks that have no outcome yet, and every stage is idempotent, so no
/// line is lost or duplicated, only some work may be repeated.
/// </summary>
public sealed class JobRecovery(PipelineStorage storage, JobService jobs, ILogger<JobRecovery> logger)
{
    /// <summary>Finishes the bookkeeping of finished jobs and re-sends the message of every other pending job.</summary>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>The number of jobs re-driven.</returns>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var container = storage.Layout.JobsContainer;
        int redriven = 0;
        foreach (var marker in await storage.ListAsync(container, StorageLayout.JobPendingPrefix, cancellationToken).ConfigureAwait(false))
        {
            var jobId = marker[StorageLayout.JobPendingPrefix.Length..];
            var status = await jobs.StatusAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (status is null || status.Status is RequestStatus.Succeeded or RequestStatus.Failed)
            {
                await storage.DeleteAsync(container, marker, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await storage.SendAsync(storage.Layout.JobsQueue, MessageJson.Write(new JobMessage(JobMessage.Current, jobId), PipelineJsonContext.Default.JobMessage), cancellationToken).ConfigureAwait(false);
            redriven++;
        }

        PipelineLog.JobsRecovered(logger, redriven);
        return redriven;
    }
}
