using DeepSeek.Pipeline.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DeepSeek.Pipeline.Http;

/// <summary>
/// The ASP.NET Core face of the HTTP contract: one handler per route, used as-is by the worker's
/// endpoint routing and by the Functions app's HTTP triggers, so neither host holds logic the other lacks.
/// Every route but health authenticates the caller and checks its role first (<see cref="AccessControl"/>).
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

    /// <summary><c>POST /api/v1/infer[?mode=async]</c>; role <see cref="MoeRoles.InferenceInvoke"/>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task InferAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.Infer, MoeRoles.InferenceInvoke).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        bool asyncMode = string.Equals(context.Request.Query["mode"], "async", StringComparison.OrdinalIgnoreCase);
        var response = await Api(context).InferAsync(context.Request.Body, asyncMode, caller, BaseUrl(context.Request), context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context.Response, response).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/requests/{id}</c>; role <see cref="MoeRoles.InferenceInvoke"/>, the caller's tenant only.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The request id.</param>
    /// <returns>A task.</returns>
    public static async Task GetRequestAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.GetRequest, MoeRoles.InferenceInvoke).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        await WriteAsync(context.Response, await Api(context).GetRequestAsync(id, caller, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/requests/{id}/audit</c>; role <see cref="MoeRoles.AuditRead"/>, the caller's tenant only.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The request id.</param>
    /// <returns>A task.</returns>
    public static async Task GetAuditAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.GetAudit, MoeRoles.AuditRead).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        await WriteAsync(context.Response, await Api(context).GetAuditAsync(id, caller, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary><c>POST /api/v1/jobs?model=ID</c> with a JSONL body; role <see cref="MoeRoles.JobsSubmit"/>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task SubmitJobAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.SubmitJob, MoeRoles.JobsSubmit).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var response = await Jobs(context).SubmitAsync(context.Request.Query["model"], context.Request.Body, caller, BaseUrl(context.Request), context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context.Response, response).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/jobs/{id}</c>; role <see cref="MoeRoles.JobsSubmit"/>, the caller's tenant only.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The job id.</param>
    /// <returns>A task.</returns>
    public static async Task GetJobAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.GetJob, MoeRoles.JobsSubmit).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        await WriteAsync(context.Response, await Jobs(context).StatusAsync(id, caller, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/jobs/{id}/output</c>: JSONL in input order, streamed; role <see cref="MoeRoles.JobsSubmit"/>, the caller's tenant only.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="id">The job id.</param>
    /// <returns>A task.</returns>
    public static async Task GetJobOutputAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.GetJobOutput, MoeRoles.JobsSubmit).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var (output, problem) = await Jobs(context).OutputAsync(id, caller, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            await WriteAsync(context.Response, problem).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-ndjson";
        await output!.WriteToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/health</c>; anonymous, for probes (it names the models served, nothing else).</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static Task HealthAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WriteAsync(context.Response, Api(context).Health());
    }

    /// <summary>
    /// <c>POST /api/v1/stats/release?period=yyyy-MM-dd[&amp;epsilon=E]</c>: publishes a differentially private release
    /// (spends budget); role <see cref="MoeRoles.Admin"/> only. The figures aggregate every tenant, so the budget is no tenant's to spend.
    /// </summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task ReleaseStatsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.ReleaseStats, MoeRoles.Admin).ConfigureAwait(false) is null)
        {
            return;
        }

        var stats = context.RequestServices.GetRequiredService<StatsApi>();
        var query = context.Request.Query;
        await WriteAsync(context.Response, await stats.ReleaseAsync(query["period"], query["epsilon"], context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/v1/stats?period=yyyy-MM-dd</c>: the period's published releases; role <see cref="MoeRoles.AuditRead"/>
    /// (or Admin). Released figures are differentially private aggregates across tenants, so every tenant reads the same.
    /// </summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task.</returns>
    public static async Task GetStatsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAsync(context, MoeRoutes.GetStats, MoeRoles.AuditRead).ConfigureAwait(false) is null)
        {
            return;
        }

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

        if (api.WwwAuthenticate is not null)
        {
            response.Headers.WWWAuthenticate = api.WwwAuthenticate;
        }

        await response.Body.WriteAsync(api.Body.ToMemory(), response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Authenticates the caller and checks the route's role; on refusal writes the 401 or 403 and returns null.</summary>
    private static async Task<CallerIdentity?> AuthorizeAsync(HttpContext context, string route, string role)
    {
        var access = context.RequestServices.GetRequiredService<AccessControl>();
        var decision = await access.AuthorizeAsync(context.Request, route, role, context.RequestAborted).ConfigureAwait(false);
        if (decision.Denial is { } denial)
        {
            await WriteAsync(context.Response, denial).ConfigureAwait(false);
        }

        return decision.Caller;
    }

    // Behind the Functions host or a reverse proxy the public address arrives in the forwarded headers.
    private static string BaseUrl(HttpRequest request)
    {
        var host = request.Headers["X-Forwarded-Host"].FirstOrDefault() ?? request.Host.ToString();
        var scheme = request.Headers["X-Forwarded-Proto"].FirstOrDefault() ?? request.Scheme;
        return $"{scheme}://{host}";
    }

    private static InferenceApi Api(HttpContext context) => context.RequestServices.GetRequiredService<InferenceApi>();

    private static JobsApi Jobs(HttpContext context) => context.RequestServices.GetRequiredService<JobsApi>();
}
