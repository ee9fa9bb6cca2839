using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// Finds the caller of an HTTP request: App Service Authentication's principal header where the platform is trusted to
/// set it, else an <c>Authorization: Bearer</c> token. A principal header on a host that does not trust the platform is
/// refused as forged rather than ignored: a proxy or a misconfiguration must never turn it into an identity.
/// </summary>
internal sealed class RequestAuthenticator(IOptions<AuthOptions> options, BearerTokenValidator bearer)
{
    /// <summary>App Service Authentication's principal header (base64 JSON of the claims).</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    private const string BearerPrefix = "Bearer ";
    private readonly AuthOptions _options = options.Value;

    public async Task<AuthenticationOutcome> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_options.Enabled)
        {
            return AuthenticationOutcome.Success(CallerIdentity.Unauthenticated);
        }

        // X-MS-CLIENT-PRINCIPAL, -ID, -NAME, -IDP: the platform's headers, all of them.
        bool platformHeaders = request.Headers.Keys.Any(k => k.StartsWith(PrincipalHeader, StringComparison.OrdinalIgnoreCase));
        if (platformHeaders)
        {
            if (!_options.TrustsPlatformHeader)
            {
                return AuthenticationOutcome.Invalid("forged-principal",
                    $"The request carries App Service Authentication's {PrincipalHeader} headers, but platform authentication is not on for this app, so they cannot come from the platform.");
            }

            return FromPrincipalHeader(request.Headers[PrincipalHeader].ToString());
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return AuthenticationOutcome.Missing("missing-token", "The request carries no credential: send Authorization: Bearer <token>.");
        }

        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || authorization.Length == BearerPrefix.Length)
        {
            return AuthenticationOutcome.Missing("missing-token", "The Authorization header is not a bearer token: send Authorization: Bearer <token>.");
        }

        if (!_options.AcceptsBearerTokens)
        {
            return AuthenticationOutcome.Invalid("bearer-not-accepted", "This app authenticates callers through App Service Authentication only; bearer tokens are validated by the platform.");
        }

        return await bearer.ValidateAsync(authorization[BearerPrefix.Length..].Trim(), cancellationToken).ConfigureAwait(false);
    }

    private AuthenticationOutcome FromPrincipalHeader(string value)
    {
        ClientPrincipal? principal = null;
        try
        {
            if (value.Length > 0)
            {
                principal = JsonSerializer.Deserialize(Convert.FromBase64String(value), SecurityJsonContext.Default.ClientPrincipal);
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            principal = null;
        }

        if (principal?.Claims is not { Length: > 0 } claims)
        {
            return AuthenticationOutcome.Invalid("invalid-principal", $"The {PrincipalHeader} header is not base64 JSON with claims.");
        }

        var pairs = claims.Where(c => c.Type is not null && c.Value is not null).Select(c => KeyValuePair.Create(c.Type!, c.Value!)).ToList();
        return AuthenticationOutcome.Success(CallerClaims.Identity(pairs, _options.TenantClaim, "app-service", principal.RoleType));
    }
}
