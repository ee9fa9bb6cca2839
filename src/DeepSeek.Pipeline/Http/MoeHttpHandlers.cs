using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DeepSeek.Pipeline.Http;

/// <summary>
/// The ASP.NET Core face of the HTTP contract: one handler per route, used as-is by the worker's
/// endpoint routing and by the Functions app's HTTP triggers, so neither host holds logic the other lacks.
/// </summary>
public static class MoeHttpHandlers
{
    /// <summary>The route prefix of every contract route.</summary>
    public const string RoutePrefix = "api/v1";

    /// <summary>Maps every route of the contract (for hosts with endpoint routing).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The route builder.</returns>
    public static IEndpointRouteBuilder MapMoeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"/{RoutePrefix}/infer", InferAsync);
        endpoints.MapGet($"/{RoutePrefix}/requests/{{id}}", (HttpContext c, string id) => GetRequestAsync(c, id));
        endpoints.MapGet($"/{RoutePrefix}/requests/{{id}}/audit", (HttpContext c, string id) => GetAuditAsync(c, id));
        endpoints.MapPost($"/{RoutePrefix}/jobs", SubmitJobAsync);
        endpoints.MapGet($"/{RoutePrefix}/jobs/{{id}}", (HttpContext c, string id) => GetJobAsync(c, id));
        endpoints.MapGet($"/{RoutePrefix}/jobs/{{id}}/output", (HttpContext c, string id) => GetJobOutputAsync(c, id));
        endpoints.MapGet($"/{RoutePrefix}/health", HealthAsync);
        endpoints.MapPost($"/{RoutePrefix}/stats/release", ReleaseStatsAsync);
        endpoints.MapGet($"/{RoutePrefix}/stats", GetStatsAsync);
        return endpoints;
    }

    /// <summary><c>POST /api/v1/infer[?mode=async]</c>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task InferAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool asyncMode = string.Equals(context.Request.Query["mode"], "async", StringComparison.OrdinalIgnoreCase);
        var response = await Api(context).InferAsync(context.Request.Body, asyncMode, Caller(context), BaseUrl(context.Request), context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context.Response, response).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/requests/{id}</c>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The request id.</param>
    /// <returns>A task.</returns>
    public static async Task GetRequestAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        await WriteAsync(context.Response, await Api(context).GetRequestAsync(id, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/requests/{id}/audit</c>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The request id.</param>
    /// <returns>A task.</returns>
    public static async Task GetAuditAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        await WriteAsync(context.Response, await Api(context).GetAuditAsync(id, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary><c>POST /api/v1/jobs?model=ID</c> with a JSONL body.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task SubmitJobAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var jobs = context.RequestServices.GetRequiredService<JobsApi>();
        var response = await jobs.SubmitAsync(context.Request.Query["model"], context.Request.Body, Caller(context), BaseUrl(context.Request), context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context.Response, response).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/jobs/{id}</c>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The job id.</param>
    /// <returns>A task.</returns>
    public static async Task GetJobAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        var jobs = context.RequestServices.GetRequiredService<JobsApi>();
        await WriteAsync(context.Response, await jobs.StatusAsync(id, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/jobs/{id}/output</c>: JSONL in input order, streamed.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The job id.</param>
    /// <returns>A task.</returns>
    public static async Task GetJobOutputAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        var jobs = context.RequestServices.GetRequiredService<JobsApi>();
        var (output, problem) = await jobs.OutputAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            await WriteAsync(context.Response, problem).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-ndjson";
        await output!.WriteToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/health</c>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static Task HealthAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WriteAsync(context.Response, Api(context).Health());
    }

    /// <summary><c>POST /api/v1/stats/release?period=yyyy-MM-dd[&amp;epsilon=E]</c>: publishes a differentially private release (spends budget).</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task ReleaseStatsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stats = context.RequestServices.GetRequiredService<StatsApi>();
        var query = context.Request.Query;
        await WriteAsync(context.Response, await stats.ReleaseAsync(query["period"], query["epsilon"], context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/stats?period=yyyy-MM-dd</c>: the period's published releases.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task GetStatsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stats = context.RequestServices.GetRequiredService<StatsApi>();
        await WriteAsync(context.Response, await stats.ListAsync(context.Request.Query["period"], context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Writes an API response.</summary>
    /// <param name="response">The HTTP response.</param>
    /// <param name="api">What to write.</param>
    /// <returns>A task.</returns>
    public static async Task WriteAsync(HttpResponse response, ApiResponse api)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(api);
        response.StatusCode = api.StatusCode;
        response.ContentType = api.ContentType;
        if (api.Location is not null)
        {
            response.Headers.Location = api.Location;
        }

        await response.Body.WriteAsync(api.Body.ToMemory(), response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The caller as the host authenticated it, or null.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>The caller name.</returns>
    public static string? Caller(HttpContext context) =>
        context?.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;

    // Behind the Functions host or a reverse proxy the public address arrives in the forwarded headers.
    private static string BaseUrl(HttpRequest request)
    {
        var host = request.Headers["X-Forwarded-Host"].FirstOrDefault() ?? request.Host.ToString();
        var scheme = request.Headers["X-Forwarded-Proto"].FirstOrDefault() ?? request.Scheme;
        return $"{scheme}://{host}";
    }

    private static InferenceApi Api(HttpContext context) => context.RequestServices.GetRequiredService<InferenceApi>();
}
