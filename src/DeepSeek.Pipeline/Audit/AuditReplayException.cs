namespace DeepSeek.Pipeline.Audit;

/// <summary>A request cannot be replayed from its audit record (and why: no record, input not kept, other model files, ...).</summary>
/// <param name="message">Why.</param>
public sealed class AuditReplayException(string message) : Exception(message);
