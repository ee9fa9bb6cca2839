using DeepSeek.Pipeline.Statistics;

namespace DeepSeek.Pipeline.Http;

/// <summary>The body of <c>GET /api/v1/stats</c>.</summary>
/// <param name="Period">The period.</param>
/// <param name="Releases">Its published releases, oldest first.</param>
public sealed record StatsListBody(string Period, StatsRelease[] Releases);
