namespace DeepSeek.Pipeline.Audit;

/// <summary>The members every audit record has, whatever its kind, read without reading the rest.</summary>
public sealed record AuditEnvelope
{
    /// <summary>Gets the schema version (1: before the chain).</summary>
    public int SchemaVersion { get; init; }

    /// <summary>Gets the record's place in its chain (schema 2).</summary>
    public AuditChainLink? Chain { get; init; }

    /// <summary>Gets the record's hash (schema 2).</summary>
    public string? Hash { get; init; }

    /// <summary>Gets the input description of a request record, for checking a stored input.</summary>
    public AuditInput? Input { get; init; }
}
