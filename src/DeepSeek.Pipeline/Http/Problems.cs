using System.Text.Json;

namespace DeepSeek.Pipeline.Http;

/// <summary>The problem kinds the API answers with, as <c>application/problem+json</c>.</summary>
public static class Problems
{
    /// <summary>The content type of problems.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>The base of problem type URIs.</summary>
    public const string TypeBase = "https://deepseek-functions.dev/problems/";

    /// <summary>400: the body is not valid JSON of the contract's shape.</summary>
    public static ApiResponse MalformedJson(string detail) => Make(400, "malformed-json", "The request body is not valid JSON", detail);

    /// <summary>400: the input cannot be run (shape, values, limits).</summary>
    public static ApiResponse InvalidInput(string detail, string? field) => Make(400, "invalid-input", "The input cannot be run", detail, field);

    /// <summary>400: the model is not served here.</summary>
    public static ApiResponse UnknownModel(string detail) => Make(400, "unknown-model", "Unknown model", detail, "model");

    /// <summary>413: the body is larger than allowed.</summary>
    public static ApiResponse TooLarge(string detail) => Make(413, "too-large", "The request body is too large", detail);

    /// <summary>401: no valid credential; <paramref name="challenge"/> is the WWW-Authenticate header (<c>Bearer ...</c>).</summary>
    public static ApiResponse Unauthorized(string detail, string challenge) =>
        Make(401, "unauthorized", "Authentication required", detail) with { WwwAuthenticate = challenge };

    /// <summary>403: authenticated, but not allowed (role, tenant, or model allow list).</summary>
    public static ApiResponse Forbidden(string detail) => Make(403, "forbidden", "Not allowed", detail);

    /// <summary>404: no such request or job.</summary>
    public static ApiResponse NotFound(string detail) => Make(404, "not-found", "Not found", detail);

    /// <summary>409: the resource exists but is not ready (for example a job's output before it finishes).</summary>
    public static ApiResponse NotReady(string detail) => Make(409, "not-ready", "Not ready yet", detail);

    /// <summary>403: a statistics release would pass the period's privacy budget.</summary>
    public static ApiResponse BudgetExhausted(string detail) => Make(403, "privacy-budget-exhausted", "The privacy budget is spent", detail);

    /// <summary>500: the pipeline recorded a failure for this request.</summary>
    public static ApiResponse InferenceFailed(string detail, string requestId) => Make(500, "inference-failed", "The request failed in the pipeline", detail, null, requestId);

    /// <summary>500: a whole job failed before its lines could run.</summary>
    public static ApiResponse JobFailed(string detail) => Make(500, "job-failed", "The job failed", detail);

    private static ApiResponse Make(int status, string kind, string title, string detail, string? field = null, string? requestId = null)
    {
        var body = new ProblemDetailsBody(TypeBase + kind, title, status, detail, field, requestId);
        return new ApiResponse(status, ContentType, BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(body, HttpJsonContext.Default.ProblemDetailsBody)));
    }
}
