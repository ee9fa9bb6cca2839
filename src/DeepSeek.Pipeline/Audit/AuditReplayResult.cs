namespace DeepSeek.Pipeline.Audit;

/// <summary>The outcome of replaying an audited request.</summary>
/// <param name="Confirmed">True when the recomputed routing equals the recorded one and every output is within the tolerance.</param>
/// <param name="Message">What was compared and found, in words.</param>
/// <param name="MaxAbsDifference">The largest absolute output difference, when outputs were compared.</param>
public sealed record AuditReplayResult(bool Confirmed, string Message, double? MaxAbsDifference);
