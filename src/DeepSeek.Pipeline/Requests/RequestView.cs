namespace DeepSeek.Pipeline.Requests;

/// <summary>The body of <c>GET /api/v1/requests/{id}</c>.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Status">queued, running, succeeded or failed.</param>
/// <param name="Result">The result, once succeeded.</param>
/// <param name="Error">The reason, once failed.</param>
public sealed record RequestView(string RequestId, string Status, InferenceResult? Result, string? Error);
