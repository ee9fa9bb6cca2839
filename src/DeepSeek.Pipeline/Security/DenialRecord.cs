namespace DeepSeek.Pipeline.Security;

/// <summary>
/// The audit record of one refused call (<c>{prefix}-audit/denials/{yyyy}/{MM}/{dd}/{HH}/{id}.json</c>): 401, 403, and
/// the 404 that answers a read of another tenant's request, job or audit record. It never holds the credential.
/// </summary>
public sealed record DenialRecord
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Gets the schema version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Gets the denial id (<c>deny-</c> and 32 hex digits); set by <see cref="SecurityAuditWriter"/>.</summary>
    public string Id { get; init; } = "";

    /// <summary>Gets when the call was refused; set by <see cref="SecurityAuditWriter"/>.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Gets the route (<c>POST /api/v1/infer</c>).</summary>
    public required string Route { get; init; }

    /// <summary>Gets the HTTP status answered: 401, 403 or 404.</summary>
    public required int Status { get; init; }

    /// <summary>Gets a short code for the reason (<c>missing-token</c>, <c>expired</c>, <c>missing-role</c>, <c>model-not-allowed</c>, <c>other-tenant</c>, ...).</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the reason in words.</summary>
    public string? Detail { get; init; }

    /// <summary>Gets how the caller authenticated (<c>bearer</c>, <c>app-service</c>), when it did.</summary>
    public string? Scheme { get; init; }

    /// <summary>Gets the caller's tenant, when authenticated.</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets the caller's object id, when authenticated.</summary>
    public string? Caller { get; init; }

    /// <summary>Gets the client application, when authenticated.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the model asked for, when the refusal concerns one.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the request or job asked for, when the refusal concerns one.</summary>
    public string? ResourceId { get; init; }
}
