using DeepSeek.Pipeline.Privacy;
using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Security;

/// <summary>An authenticated caller: who (<c>oid</c>, else <c>sub</c>), which tenant, which client application, which roles and groups.</summary>
public sealed record CallerIdentity
{
    /// <summary>Gets the caller used when authentication is off (<see cref="AuthOptions.Enabled"/> false): anonymous, allowed everything.</summary>
    public static CallerIdentity Unauthenticated { get; } = new() { Scheme = "none", AuthenticationDisabled = true };

    /// <summary>Gets the caller's object id (<c>oid</c>, else <c>sub</c>), if the credential names one.</summary>
    public string? Caller { get; init; }

    /// <summary>Gets the caller's tenant (<see cref="AuthOptions.TenantClaim"/>), if the credential names one.</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets the client application (<c>azp</c> or <c>appid</c>), if the credential names one.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the app roles.</summary>
    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>();

    /// <summary>Gets the group ids.</summary>
    public IReadOnlySet<string> Groups { get; init; } = new HashSet<string>();

    /// <summary>Gets how the caller authenticated: <c>bearer</c>, <c>app-service</c> or <c>none</c>.</summary>
    public required string Scheme { get; init; }

    /// <summary>Gets whether authentication is off, so every check passes.</summary>
    public bool AuthenticationDisabled { get; init; }

    /// <summary>Gets whether the caller holds <see cref="MoeRoles.Admin"/>.</summary>
    public bool IsAdmin => AuthenticationDisabled || Roles.Contains(MoeRoles.Admin);

    /// <summary>
    /// Gets who requests and jobs submitted by this caller belong to, as records store it: the tenant in clear (reads
    /// are isolated by tenant), the caller only as its pseudonym.
    /// </summary>
    /// <param name="pseudonyms">The pseudonymizer (<see cref="Pseudonymizer.Caller"/>).</param>
    /// <returns>The owner to record.</returns>
    public RequestOwner RecordedOwner(Pseudonymizer pseudonyms)
    {
        ArgumentNullException.ThrowIfNull(pseudonyms);
        return new(Tenant, pseudonyms.Caller(Caller));
    }

    /// <summary>Tells whether the caller holds a role; <see cref="MoeRoles.Admin"/> holds every role.</summary>
    /// <param name="role">The role.</param>
    /// <returns>True when held.</returns>
    public bool HasRole(string role) => IsAdmin || Roles.Contains(role);
}
