namespace DeepSeek.Pipeline.Http;

/// <summary>The body of <c>GET /api/v1/health</c>.</summary>
/// <param name="Status">Always <c>ok</c> when the process answers.</param>
/// <param name="Models">The models served, as id@version.</param>
public sealed record HealthBody(string Status, string[] Models);
