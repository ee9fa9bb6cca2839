using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// Validates bearer tokens with <see cref="JsonWebTokenHandler"/>: signature (asymmetric algorithms only, so neither
/// <c>alg=none</c> nor an HMAC made with a public key passes), issuer, audience and lifetime within the clock skew.
/// Keys come from the configured files, or from the OpenID metadata of the authority (Entra ID), refreshed once when a
/// token names a key the cached metadata lacks (key rollover).
/// </summary>
internal sealed class BearerTokenValidator
{
    private static readonly string[] s_algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly Lazy<IReadOnlyList<SecurityKey>> _localKeys;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;

    private readonly ILogger<BearerTokenValidator> _logger;

    public BearerTokenValidator(IOptions<AuthOptions> options, TimeProvider time, ILogger<BearerTokenValidator> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _localKeys = new(() => SigningKeyFiles.Load(_options));
        if (!_options.UsesLocalKeys && _options.EffectiveMetadataAddress is { } address)
        {
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = _options.RequireHttpsMetadata });
        }
    }

    public async Task<AuthenticationOutcome> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var result = await ValidateOnceAsync(token, cancellationToken).ConfigureAwait(false);
        if (result?.Exception is SecurityTokenSignatureKeyNotFoundException && _metadata is not null)
        {
            // The token names a key the cached metadata lacks: the authority may have rolled its keys.
            _metadata.RequestRefresh();
            result = await ValidateOnceAsync(token, cancellationToken).ConfigureAwait(false);
        }

        if (result is null)
        {
            return AuthenticationOutcome.Invalid("metadata-unavailable", "The identity provider's signing keys cannot be fetched right now; try again later.");
        }

        return result.IsValid
            ? AuthenticationOutcome.Success(CallerClaims.Identity([.. result.ClaimsIdentity.Claims.Select(c => KeyValuePair.Create(c.Type, c.Value))], _options.TenantClaim, "bearer"))
            : Failure(result.Exception);
    }

    /// <returns>The result, or null when the metadata (and so every key) is unavailable.</returns>
    private async Task<TokenValidationResult?> ValidateOnceAsync(string token, CancellationToken cancellationToken)
    {
        IEnumerable<SecurityKey> keys;
        string[] issuers = AuthOptions.List(_options.Issuer);
        if (_metadata is null)
        {
            keys = _localKeys.Value;
        }
        else
        {
            OpenIdConnectConfiguration configuration;
            try
            {
                configuration = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                PipelineLog.AuthMetadataUnavailable(_logger, _options.EffectiveMetadataAddress!, ex);
                return null;
            }

            keys = configuration.SigningKeys;
            issuers = issuers.Length > 0 ? issuers : [configuration.Issuer];
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudiences = AuthOptions.List(_options.Audience),
            IssuerSigningKeys = keys,
            ValidAlgorithms = s_algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
            LifetimeValidator = ValidateLifetime,
            NameClaimType = "name",
            RoleClaimType = "roles",
        };
        return await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
    }

    // The handler's own lifetime check reads the system clock; this one reads the injected TimeProvider, with the same rules.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration time.");
        }

        if (notBefore is { } nbf && nbf >= exp)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's not-before time is not before its expiration time.") { NotBefore = nbf, Expires = exp };
        }

        if (notBefore is { } start && start > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }

        if (exp < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = exp };
        }

        return true;
    }

    private static AuthenticationOutcome Failure(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => AuthenticationOutcome.Invalid("expired", "The token has expired."),
        SecurityTokenNotYetValidException => AuthenticationOutcome.Invalid("not-yet-valid", "The token is not valid yet."),
        SecurityTokenNoExpirationException => AuthenticationOutcome.Invalid("no-expiration", "The token has no expiration time."),
        SecurityTokenInvalidLifetimeException => AuthenticationOutcome.Invalid("invalid-lifetime", "The token's lifetime is invalid."),
        SecurityTokenInvalidAudienceException => AuthenticationOutcome.Invalid("wrong-audience", "The token is not meant for this API (audience)."),
        SecurityTokenInvalidIssuerException => AuthenticationOutcome.Invalid("wrong-issuer", "The token comes from an issuer this API does not trust."),
        SecurityTokenInvalidAlgorithmException => AuthenticationOutcome.Invalid("algorithm-not-allowed", "The token is signed with an algorithm this API does not accept (RS*, PS* or ES* only)."),
        SecurityTokenSignatureKeyNotFoundException => AuthenticationOutcome.Invalid("unknown-key", "The token is signed with a key this API does not know."),
        SecurityTokenInvalidSignatureException => AuthenticationOutcome.Invalid("invalid-signature", "The token's signature is missing or does not verify."),
        SecurityTokenMalformedException or ArgumentException => AuthenticationOutcome.Invalid("malformed", "The bearer token is not a well-formed JWT."),
        _ => AuthenticationOutcome.Invalid("invalid-token", "The token is not valid."),
    };
}
