using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Security;

namespace DeepSeek.Pipeline.Http;

/// <summary>The batch-job routes of the HTTP contract, shared by both hosts: model allow lists at submission, tenant isolation of reads.</summary>
public sealed class JobsApi(JobService jobs, AccessControl access, Privacy.Pseudonymizer pseudonyms)
{
    /// <summary><c>POST /api/v1/jobs?model=ID</c> with a JSONL body.</summary>
    /// <param name="model">The job's model (lines may name their own).</param>
    /// <param name="body">The JSONL body.</param>
    /// <param name="caller">The authenticated caller; the job is recorded as its tenant's, with the caller only as its pseudonym.</param>
    /// <param name="baseUrl">The scheme and host for the status URL.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>202, 400, 403 (the job or a line names a model the caller may not use) or 413.</returns>
    public async Task<ApiResponse> SubmitAsync(string? model, Stream body, CallerIdentity caller, string baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrWhiteSpace(model))
        {
            return Problems.UnknownModel("Name the job's model: POST /api/v1/jobs?model=<id>.");
        }

        try
        {
            var jobId = await jobs.SubmitAsync(model, body, caller.RecordedOwner(pseudonyms), m => access.MayUseModel(caller, m), cancellationToken).ConfigureAwait(false);
            var statusUrl = $"{baseUrl.TrimEnd('/')}/api/v1/jobs/{jobId}";
            return InferenceApi.Json(202, new JobAcceptedBody(jobId, statusUrl), HttpJsonContext.Default.JobAcceptedBody, statusUrl);
        }
        catch (UnknownModelException ex)
        {
            return Problems.UnknownModel(ex.Message);
        }
        catch (ModelAccessDeniedException ex)
        {
            return await access.DenyModelAsync(caller, MoeRoutes.SubmitJob, ex.Model).ConfigureAwait(false);
        }
        catch (JobTooLargeException ex)
        {
            return Problems.TooLarge(ex.Message);
        }
        catch (InvalidInputException ex)
        {
            return Problems.InvalidInput(ex.Message, ex.Field);
        }
    }

    /// <summary><c>GET /api/v1/jobs/{id}</c>.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="caller">The authenticated caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>200 with <c>{"jobId","status","total","succeeded","failed"}</c>, or 404 (no such job, or another tenant's).</returns>
    public async Task<ApiResponse> StatusAsync(string jobId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (!await CanReadAsync(caller, MoeRoutes.GetJob, jobId, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound($"No job '{jobId}'.");
        }

        var view = await jobs.StatusAsync(jobId, cancellationToken).ConfigureAwait(false);
        return view is null ? Problems.NotFound($"No job '{jobId}'.") : InferenceApi.Json(200, view, HttpJsonContext.Default.JobView);
    }

    /// <summary>Resolves <c>GET /api/v1/jobs/{id}/output</c>: ready output, or the problem to answer.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="caller">The authenticated caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output when ready, else the problem (404 also for another tenant's job, 409 with progress, or 500 for a failed job).</returns>
    public async Task<(JobOutput? Output, ApiResponse? Problem)> OutputAsync(string jobId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (!await CanReadAsync(caller, MoeRoutes.GetJobOutput, jobId, cancellationToken).ConfigureAwait(false))
        {
            return (null, Problems.NotFound($"No job '{jobId}'."));
        }

        var output = await jobs.OutputAsync(jobId, cancellationToken).ConfigureAwait(false);
        var s = output.Status;
        return output.State switch
        {
            JobOutputState.Ready => (output, null),
            JobOutputState.Pending => (null, Problems.NotReady($"Job '{jobId}' is {s?.Status}: {s?.Succeeded + s?.Failed} of {s?.Total} lines done.")),
            JobOutputState.Failed => (null, Problems.JobFailed($"Job '{jobId}' failed: {s?.Error}")),
            _ => (null, Problems.NotFound($"No job '{jobId}'.")),
        };
    }

    private async Task<bool> CanReadAsync(CallerIdentity caller, string route, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var owner = caller.AuthenticationDisabled ? null : await jobs.OwnerAsync(jobId, cancellationToken).ConfigureAwait(false);
        return await access.CanReadAsync(caller, route, jobId, owner).ConfigureAwait(false);
    }
}
