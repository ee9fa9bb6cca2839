using DeepSeek.Pipeline.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DeepSeek.Functions.Http;

/// <summary>
/// The HTTP contract's routes (under the host's <c>api</c> prefix). Each one hands the ASP.NET Core context to
/// <see cref="MoeHttpHandlers"/>, which writes the response; the empty result leaves that response as written.
/// </summary>
public sealed class MoeHttpFunctions
{
    /// <summary><c>POST /api/v1/infer[?mode=async]</c>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(Infer))]
    public Task<IActionResult> Infer([HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/infer")] HttpRequest request) =>
        HandleAsync(request, MoeHttpHandlers.InferAsync);

    /// <summary><c>GET /api/v1/requests/{id}</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="id">The request id.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(GetRequest))]
    public Task<IActionResult> GetRequest([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/requests/{id}")] HttpRequest request, string id) =>
        HandleAsync(request, c => MoeHttpHandlers.GetRequestAsync(c, id));

    /// <summary><c>GET /api/v1/requests/{id}/audit</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="id">The request id.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(GetAudit))]
    public Task<IActionResult> GetAudit([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/requests/{id}/audit")] HttpRequest request, string id) =>
        HandleAsync(request, c => MoeHttpHandlers.GetAuditAsync(c, id));

    /// <summary><c>POST /api/v1/jobs?model=ID</c> with a JSONL body.</summary>
    /// <param name="request">The request.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(SubmitJob))]
    public Task<IActionResult> SubmitJob([HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/jobs")] HttpRequest request) =>
        HandleAsync(request, MoeHttpHandlers.SubmitJobAsync);

    /// <summary><c>GET /api/v1/jobs/{id}</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="id">The job id.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(GetJob))]
    public Task<IActionResult> GetJob([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/jobs/{id}")] HttpRequest request, string id) =>
        HandleAsync(request, c => MoeHttpHandlers.GetJobAsync(c, id));

    /// <summary><c>GET /api/v1/jobs/{id}/output</c>: JSONL in input order.</summary>
    /// <param name="request">The request.</param>
    /// <param name="id">The job id.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(GetJobOutput))]
    public Task<IActionResult> GetJobOutput([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/jobs/{id}/output")] HttpRequest request, string id) =>
        HandleAsync(request, c => MoeHttpHandlers.GetJobOutputAsync(c, id));

    /// <summary><c>POST /api/v1/stats/release?period=yyyy-MM-dd[&amp;epsilon=E]</c>: a differentially private release (spends budget).</summary>
    /// <param name="request">The request.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(ReleaseStats))]
    public Task<IActionResult> ReleaseStats([HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/stats/release")] HttpRequest request) =>
        HandleAsync(request, MoeHttpHandlers.ReleaseStatsAsync);

    /// <summary><c>GET /api/v1/stats?period=yyyy-MM-dd</c>: the period's published releases.</summary>
    /// <param name="request">The request.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(GetStats))]
    public Task<IActionResult> GetStats([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/stats")] HttpRequest request) =>
        HandleAsync(request, MoeHttpHandlers.GetStatsAsync);

    /// <summary><c>GET /api/v1/health</c>; anonymous, for probes.</summary>
    /// <param name="request">The request.</param>
    /// <returns>An empty result (the response is already written).</returns>
    [Function(nameof(Health))]
    public Task<IActionResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health")] HttpRequest request) =>
        HandleAsync(request, MoeHttpHandlers.HealthAsync);

    private static async Task<IActionResult> HandleAsync(HttpRequest request, Func<HttpContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        await handler(request.HttpContext).ConfigureAwait(false);
        return new EmptyResult();
    }
}
