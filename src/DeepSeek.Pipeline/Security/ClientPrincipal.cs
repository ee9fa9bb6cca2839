using System.Text.Json.Serialization;

namespace DeepSeek.Pipeline.Security;

/// <summary>The decoded <c>X-MS-CLIENT-PRINCIPAL</c> header App Service Authentication sets: base64 of this JSON.</summary>
/// <param name="AuthType">The identity provider (<c>aad</c>).</param>
/// <param name="Claims">The claims, names mapped as the platform maps them.</param>
/// <param name="NameType">The claim type of the name.</param>
/// <param name="RoleType">The claim type of roles.</param>
internal sealed record ClientPrincipal(
    [property: JsonPropertyName("auth_typ")] string? AuthType,
    [property: JsonPropertyName("claims")] ClientPrincipalClaim[]? Claims,
    [property: JsonPropertyName("name_typ")] string? NameType,
    [property: JsonPropertyName("role_typ")] string? RoleType);
