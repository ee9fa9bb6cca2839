namespace DeepSeek.Pipeline.Security;

/// <summary>
/// The audit record of one refused call: 401, 403, and the 404 that answers a read of another tenant's request, job or
/// audit record. It never holds the credential, and holds the caller only as its pseudonym. Schema 2 records are
/// appended through <see cref="Audit.AuditLog"/> as <c>{prefix}-audit/deny-{32 hex}.json</c>, with the chain's
/// <c>chain</c> and <c>hash</c> members; schema 1 records (before the chain) were stored apart, under
/// <c>{prefix}-audit/denials/{yyyy}/{MM}/{dd}/{HH}/</c>, with the caller in clear.
/// </summary>
public sealed record DenialRecord
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>Gets the schema version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Gets the denial id (<c>deny-</c> and 32 hex digits), also its audit record key; set by <see cref="SecurityAuditWriter"/>.</summary>
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

    /// <summary>Gets the caller's tenant, when authenticated (in clear: tenants are what reads are isolated by).</summary>
    public string? Tenant { get; init; }

    /// <summary>
    /// Gets the caller, when authenticated: its object id as <see cref="AccessControl"/> hands it to
    /// <see cref="SecurityAuditWriter"/>, which stores only its pseudonym (<see cref="Privacy.Pseudonymizer.Caller"/>).
    /// </summary>
    public string? Caller { get; init; }

    /// <summary>Gets the client application, when authenticated.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the model asked for, when the refusal concerns one.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the request or job asked for, when the refusal concerns one.</summary>
    public string? ResourceId { get; init; }
}
