using System.ComponentModel.DataAnnotations;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// Who may call the HTTP routes (section <c>Moe:Auth</c>), shared by the Functions app and the worker. Authentication is
/// on by default and a host refuses to start until one way to authenticate is configured, or <see cref="Enabled"/> is
/// explicitly false. Ways: Entra ID bearer tokens (<see cref="TenantId"/> or <see cref="Authority"/>, with
/// <see cref="Audience"/>), locally signed bearer tokens (<see cref="SigningKeyFile"/> or <see cref="JwksFile"/>, with
/// <see cref="Issuer"/> and <see cref="Audience"/>), and App Service Authentication (<see cref="PlatformAuthentication"/>).
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Moe:Auth";

    /// <summary>The App Service setting that says App Service Authentication runs in front of the app.</summary>
    public const string PlatformAuthSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>The Entra ID cloud instance <see cref="TenantId"/> is combined with.</summary>
    public const string EntraInstance = "https://login.microsoftonline.com/";

    /// <summary>Gets or sets whether callers must authenticate. <value>Defaults to true; false answers every route to anyone (local use only).</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the Entra ID tenant whose tokens are accepted; short for <see cref="Authority"/> <c>https://login.microsoftonline.com/{TenantId}/v2.0</c>.</summary>
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the OpenID Connect authority whose metadata names the issuer and signing keys (Entra ID).</summary>
    public string? Authority { get; set; }

    /// <summary>Gets or sets the OpenID metadata document. <value>Defaults to <c>{Authority}/.well-known/openid-configuration</c>.</value></summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Gets or sets whether the metadata must come over HTTPS. <value>Defaults to true; false is accepted for loopback addresses only.</value></summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Gets or sets a PEM file holding the public key (RSA or EC, <c>PUBLIC KEY</c>) of locally signed tokens.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Gets or sets a JSON Web Key Set file holding the public keys of locally signed tokens.</summary>
    public string? JwksFile { get; set; }

    /// <summary>
    /// Gets or sets the accepted token issuers, comma-separated. Required with local keys; with Entra ID it defaults to the
    /// metadata's issuer (add <c>https://sts.windows.net/{tenant}/</c> to accept v1.0 access tokens).
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the accepted token audiences, comma-separated (the app ID URI and/or client id). Required for bearer tokens.</summary>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the tolerance for clock differences in token lifetimes. <value>Defaults to 1 minute.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets whether App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header is trusted. Only the platform
    /// can set it when <see cref="PlatformAuthSetting"/> is <c>True</c>, so both must hold; otherwise a request carrying it
    /// is refused as forged. <value>Defaults to false.</value>
    /// </summary>
    public bool PlatformAuthentication { get; set; }

    /// <summary>Gets or sets the claim naming the caller's tenant. <value>Defaults to <c>tid</c>.</value></summary>
    [Required]
    public string TenantClaim { get; set; } = "tid";

    /// <summary>Gets or sets whether <see cref="MoeRoles.Admin"/> reads other tenants' requests, jobs and audit records. <value>Defaults to false.</value></summary>
    public bool AdminCrossTenant { get; set; }

    /// <summary>
    /// Gets the per-model allow lists: model id (case-insensitive, as configuration keys are) to comma-separated subjects (<c>*</c>, <c>none</c>, <c>tenant:ID</c>,
    /// <c>role:NAME</c>, <c>group:ID</c>, <c>client:ID</c>, <c>caller:ID</c>). A model not listed follows <see cref="DefaultModelAccess"/>.
    /// </summary>
    public Dictionary<string, string> ModelAccess { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the subjects allowed on models that <see cref="ModelAccess"/> does not list. <value>Defaults to <c>*</c> (every caller with the route's role).</value></summary>
    [Required]
    public string DefaultModelAccess { get; set; } = "*";

    /// <summary>Gets or sets whether the host says App Service Authentication is on (<see cref="PlatformAuthSetting"/>); set from that setting, not from this section.</summary>
    internal bool PlatformAuthenticationActive { get; set; }

    /// <summary>Gets the Entra ID authority in effect, if any.</summary>
    internal string? EffectiveAuthority =>
        Authority is { Length: > 0 } authority ? authority.TrimEnd('/')
        : TenantId is { Length: > 0 } tenant ? $"{EntraInstance}{tenant}/v2.0"
        : null;

    /// <summary>Gets the metadata document in effect, if any.</summary>
    internal string? EffectiveMetadataAddress =>
        MetadataAddress is { Length: > 0 } address ? address
        : EffectiveAuthority is { } authority ? authority + "/.well-known/openid-configuration"
        : null;

    /// <summary>Gets whether locally configured keys verify bearer tokens.</summary>
    internal bool UsesLocalKeys => !string.IsNullOrWhiteSpace(SigningKeyFile) || !string.IsNullOrWhiteSpace(JwksFile);

    /// <summary>Gets whether bearer tokens are accepted at all.</summary>
    internal bool AcceptsBearerTokens => EffectiveMetadataAddress is not null || UsesLocalKeys;

    /// <summary>Gets whether the platform's principal header is trusted.</summary>
    internal bool TrustsPlatformHeader => PlatformAuthentication && PlatformAuthenticationActive;

    /// <summary>Splits a comma-separated setting.</summary>
    internal static string[] List(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
