using System.Text.Json.Serialization;
using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Http;

/// <summary>Source-generated JSON of the HTTP contract (camelCase).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(InferRequestBody))]
[JsonSerializable(typeof(InferResponseBody))]
[JsonSerializable(typeof(AcceptedBody))]
[JsonSerializable(typeof(ProblemDetailsBody))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(RequestView))]
[JsonSerializable(typeof(JobAcceptedBody))]
[JsonSerializable(typeof(Jobs.JobView))]
public sealed partial class HttpJsonContext : JsonSerializerContext;
