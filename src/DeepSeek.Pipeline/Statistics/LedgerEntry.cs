namespace DeepSeek.Pipeline.Statistics;

/// <summary>One release in a <see cref="PrivacyLedger"/>.</summary>
/// <param name="ReleaseId">The release.</param>
/// <param name="Epsilon">The epsilon it spent.</param>
/// <param name="At">When.</param>
public sealed record LedgerEntry(string ReleaseId, double Epsilon, DateTimeOffset At);
