using System.Text.Json.Serialization;

namespace DeepSeek.Cli.Run;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(RunInput))]
[JsonSerializable(typeof(RunOutput))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
