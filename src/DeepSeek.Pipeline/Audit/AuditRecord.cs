using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// The audit record of one request, success or failure (<c>audit/{id}.json</c>, create-if-absent).
/// Schema version 1; access control, redaction and tamper evidence extend it in a later version.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Gets the schema version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Gets the request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>Gets the job id, if the request is a job chunk.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the chunk index within the job.</summary>
    public int? Chunk { get; init; }

    /// <summary>Gets the caller's object id as authenticated at ingress.</summary>
    public string? Caller { get; init; }

    /// <summary>Gets the caller's tenant as authenticated at ingress.</summary>
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
}
