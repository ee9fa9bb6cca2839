using System.Text.Json.Serialization;

namespace DeepSeek.Pipeline.Security;

/// <summary>Source-generated JSON of the security feature: the platform's principal header and denial records (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClientPrincipal))]
[JsonSerializable(typeof(DenialRecord))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
