namespace DeepSeek.Pipeline.Security;

/// <summary>What authenticating one request found: the caller, or why there is none.</summary>
/// <param name="Caller">The caller, when authenticated.</param>
/// <param name="Reason">A short code for the failure (<c>missing-token</c>, <c>expired</c>, <c>wrong-audience</c>, ...).</param>
/// <param name="Detail">What the failure means, for the caller (never the token itself).</param>
/// <param name="TokenPresented">Whether a credential was presented (the challenge then says <c>invalid_token</c>).</param>
internal sealed record AuthenticationOutcome(CallerIdentity? Caller, string? Reason, string? Detail, bool TokenPresented)
{
    public static AuthenticationOutcome Success(CallerIdentity caller) => new(caller, null, null, true);

    public static AuthenticationOutcome Missing(string reason, string detail) => new(null, reason, detail, false);

    public static AuthenticationOutcome Invalid(string reason, string detail) => new(null, reason, detail, true);
}
