namespace DeepSeek.Pipeline.Jobs;

/// <summary>The body of <c>GET /api/v1/jobs/{id}</c>; counts are in input lines.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Status">queued (not split yet), running, succeeded (every line done; some may have failed) or failed (the job could not be split).</param>
/// <param name="Total">The number of input lines.</param>
/// <param name="Succeeded">Lines with outputs.</param>
/// <param name="Failed">Lines with an error (invalid lines count from the start).</param>
/// <param name="Error">Why the job failed, when it did.</param>
public sealed record JobView(string JobId, string Status, int Total, int Succeeded, int Failed, string? Error = null);
