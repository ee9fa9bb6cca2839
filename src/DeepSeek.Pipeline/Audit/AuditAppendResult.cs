namespace DeepSeek.Pipeline.Audit;

/// <summary>What an append did.</summary>
/// <param name="Link">The record's place in its chain, or null for a record stored before the chain (schema 1).</param>
/// <param name="Hash">The record's hash, or null for a schema-1 record.</param>
/// <param name="Appended">True when this call chained the record; false when the key was already recorded.</param>
public sealed record AuditAppendResult(AuditChainLink? Link, string? Hash, bool Appended);
