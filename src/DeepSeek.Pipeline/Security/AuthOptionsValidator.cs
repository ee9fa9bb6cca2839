using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// Refuses, at start and with every error at once, an authentication set-up that cannot work or is unsafe: on with no way
/// to authenticate, bearer tokens without an audience, local keys without an issuer or unreadable, metadata over plain
/// HTTP off loopback, a trusted principal header where App Service Authentication is not on, malformed allow lists.
/// </summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private const string Section = "Moe:Auth:";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Enabled)
        {
            CheckWays(options, errors);
        }

        foreach (var (model, list) in options.ModelAccess)
        {
            if (!AccessSubject.TryParseList(list, out _, out var error))
            {
                errors.Add($"{Section}ModelAccess:{model}: {error}.");
            }
        }

        if (!AccessSubject.TryParseList(options.DefaultModelAccess, out _, out var defaultError))
        {
            errors.Add($"{Section}DefaultModelAccess: {defaultError}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckWays(AuthOptions options, List<string> errors)
    {
        if (!options.AcceptsBearerTokens && !options.PlatformAuthentication)
        {
            errors.Add($"Authentication is on ({Section}Enabled, default true) but no way to authenticate callers is configured. Set {Section}TenantId "
                + $"(or Authority) and {Section}Audience for Entra ID tokens; {Section}SigningKeyFile or JwksFile with {Section}Issuer and Audience for "
                + $"locally signed tokens; or {Section}PlatformAuthentication=true behind App Service Authentication. To run without authentication "
                + $"(local use only, never in Azure) set {Section}Enabled=false explicitly.");
            return;
        }

        if (options.UsesLocalKeys && options.EffectiveAuthority is not null)
        {
            errors.Add($"Both Entra ID ({Section}TenantId/Authority) and local keys ({Section}SigningKeyFile/JwksFile) are configured; choose one.");
        }

        if (options.AcceptsBearerTokens && AuthOptions.List(options.Audience).Length == 0)
        {
            errors.Add($"{Section}Audience is not set: bearer tokens are only accepted for a named audience (the app ID URI and/or client id, comma-separated).");
        }

        if (options.UsesLocalKeys)
        {
            if (AuthOptions.List(options.Issuer).Length == 0)
            {
                errors.Add($"{Section}Issuer is not set: locally signed tokens are only accepted from a named issuer.");
            }

            try
            {
                SigningKeyFiles.Load(options);
            }
            catch (InvalidDataException ex)
            {
                errors.Add(ex.Message);
            }
        }
        else if (options.EffectiveMetadataAddress is { } address)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{Section}MetadataAddress '{address}' is not an absolute HTTP(S) address.");
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && (options.RequireHttpsMetadata || !uri.IsLoopback))
            {
                errors.Add($"{Section}MetadataAddress '{address}' is plain HTTP: signing keys must come over HTTPS ({Section}RequireHttpsMetadata=false is accepted for loopback addresses only).");
            }
        }

        if (options.PlatformAuthentication && !options.PlatformAuthenticationActive)
        {
            errors.Add($"{Section}PlatformAuthentication=true trusts App Service Authentication's X-MS-CLIENT-PRINCIPAL header, but {AuthOptions.PlatformAuthSetting} is not True here: "
                + "without the platform in front, any client could forge that header. Turn on App Service Authentication, or set PlatformAuthentication=false.");
        }

        if (string.IsNullOrWhiteSpace(options.TenantClaim))
        {
            errors.Add($"{Section}TenantClaim is empty: tenant isolation needs the claim naming the caller's tenant (default tid).");
        }
    }
}
