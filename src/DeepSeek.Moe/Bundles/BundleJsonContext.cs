using System.Text.Json.Serialization;

namespace DeepSeek.Moe.Bundles;

/// <summary>Source-generated JSON metadata for <c>moe.json</c> (snake_case, as Hugging Face configs are).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(MoeManifest))]
public sealed partial class BundleJsonContext : JsonSerializerContext;
