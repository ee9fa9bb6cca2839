namespace DeepSeek.Pipeline.Jobs;

/// <summary>What the jobs API accepted (<c>jobs/{job}/job.json</c>, create-if-absent); its presence makes a job known.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Model">The job's model (a line may name another).</param>
/// <param name="Caller">The caller as the HTTP layer knows it.</param>
/// <param name="SubmittedAt">When it was accepted.</param>
/// <param name="Lines">The number of input lines (trailing blank lines not counted).</param>
/// <param name="Bytes">The size of the input.</param>
internal sealed record JobRecord(string JobId, string Model, string? Caller, DateTimeOffset SubmittedAt, int Lines, long Bytes);
