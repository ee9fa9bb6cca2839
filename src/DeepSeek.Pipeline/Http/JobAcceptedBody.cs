namespace DeepSeek.Pipeline.Http;

/// <summary>The 202 body of <c>POST /api/v1/jobs</c>.</summary>
/// <param name="JobId">The job.</param>
/// <param name="StatusUrl">Where to poll its progress.</param>
public sealed record JobAcceptedBody(string JobId, string StatusUrl);
