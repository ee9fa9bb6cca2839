namespace DeepSeek.Pipeline.Http;

/// <summary>The routes of the HTTP contract as audit records name them (method and template).</summary>
public static class MoeRoutes
{
    /// <summary><c>POST /api/v1/infer</c>.</summary>
    public const string Infer = "POST /api/v1/infer";

    /// <summary><c>GET /api/v1/requests/{id}</c>.</summary>
    public const string GetRequest = "GET /api/v1/requests/{id}";

    /// <summary><c>GET /api/v1/requests/{id}/audit</c>.</summary>
    public const string GetAudit = "GET /api/v1/requests/{id}/audit";

    /// <summary><c>POST /api/v1/jobs</c>.</summary>
    public const string SubmitJob = "POST /api/v1/jobs";

    /// <summary><c>GET /api/v1/jobs/{id}</c>.</summary>
    public const string GetJob = "GET /api/v1/jobs/{id}";

    /// <summary><c>GET /api/v1/jobs/{id}/output</c>.</summary>
    public const string GetJobOutput = "GET /api/v1/jobs/{id}/output";

    /// <summary><c>POST /api/v1/stats/release</c>.</summary>
    public const string ReleaseStats = "POST /api/v1/stats/release";

    /// <summary><c>GET /api/v1/stats</c>.</summary>
    public const string GetStats = "GET /api/v1/stats";
}
