namespace DeepSeek.Pipeline.Http;

/// <summary>The 202 body of <c>POST /api/v1/infer</c> (async, or past the wait timeout).</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Status">The status when answering.</param>
/// <param name="StatusUrl">Where to poll.</param>
public sealed record AcceptedBody(string RequestId, string Status, string StatusUrl);
