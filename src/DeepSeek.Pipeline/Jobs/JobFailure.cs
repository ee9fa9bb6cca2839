namespace DeepSeek.Pipeline.Jobs;

/// <summary>Why a whole job failed before its lines could be split (<c>jobs/{job}/failed.json</c>).</summary>
/// <param name="JobId">The job.</param>
/// <param name="Error">The reason.</param>
/// <param name="FailedAt">When.</param>
public sealed record JobFailure(string JobId, string Error, DateTimeOffset FailedAt);
