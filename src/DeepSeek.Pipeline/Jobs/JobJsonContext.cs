using System.Text.Json.Serialization;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// Source-generated JSON for the jobs feature's own stored formats and lines, which are internal; the public
/// context cannot hold internal types. Same conventions as <see cref="PipelineJsonContext"/> (camelCase, nulls omitted).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobRecord))]
[JsonSerializable(typeof(JobManifest))]
[JsonSerializable(typeof(JobLine))]
[JsonSerializable(typeof(JobOutputLine))]
internal sealed partial class JobJsonContext : JsonSerializerContext;
