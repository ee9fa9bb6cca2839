using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// The audit record of one request, success or failure (<c>audit/{id}.json</c>), appended through <see cref="AuditLog"/>.
/// Schema version 2 adds the chain link and hash (tamper evidence), redacted metadata, a pseudonymized caller and the
/// input policy; schema 1 records (written before the chain) are read but never chained.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>Gets the schema version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Gets the request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>Gets the job id, if the request is a job chunk.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the chunk index within the job.</summary>
    public int? Chunk { get; init; }

    /// <summary>Gets the caller's pseudonym (<see cref="Privacy.Pseudonymizer.Caller"/>; schema 1 stored the caller as the HTTP layer knew it).</summary>
    public string? Caller { get; init; }

    /// <summary>Gets the caller's tenant as authenticated at ingress, in clear: reads of the record are isolated by it (null with authentication off).</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets when ingress accepted the request.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>Gets when the outcome was stored.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Gets the model id, version and file hashes.</summary>
    public AuditModel? Model { get; init; }

    /// <summary>Gets the input's hash and shape.</summary>
    public AuditInput? Input { get; init; }

    /// <summary>Gets the routing seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Gets the routing per row.</summary>
    public RowRouting[]? Routing { get; init; }

    /// <summary>Gets the activated experts (routed, and shared as experts + s).</summary>
    public int[]? ActivatedExperts { get; init; }

    /// <summary>Gets the outputs.</summary>
    public float[][]? Outputs { get; init; }

    /// <summary>Gets <see cref="RequestStatus.Succeeded"/> or <see cref="RequestStatus.Failed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the request's metadata after redaction (job chunks: keys <c>{line}/{key}</c>).</summary>
    public SortedDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets the record's place in its chain (added by <see cref="AuditLog"/>; null when writing).</summary>
    public AuditChainLink? Chain { get; init; }

    /// <summary>Gets the record's hash (added by <see cref="AuditLog"/>; null when writing).</summary>
    public string? Hash { get; init; }
}
