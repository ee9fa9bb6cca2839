using System.Text.Json.Serialization;

namespace DeepSeek.Pipeline.Security;

/// <summary>One claim of <see cref="ClientPrincipal"/>.</summary>
/// <param name="Type">The claim type.</param>
/// <param name="Value">The value.</param>
internal sealed record ClientPrincipalClaim(
    [property: JsonPropertyName("typ")] string? Type,
    [property: JsonPropertyName("val")] string? Value);
