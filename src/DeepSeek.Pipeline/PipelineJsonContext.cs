using System.Text.Json.Serialization;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline;

/// <summary>Source-generated JSON for every message, record and contract the pipeline stores or sends (camelCase).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GateMessage))]
[JsonSerializable(typeof(ExpertMessage))]
[JsonSerializable(typeof(AggregateMessage))]
[JsonSerializable(typeof(JobMessage))]
[JsonSerializable(typeof(RequestRecord))]
[JsonSerializable(typeof(RoutingPlan))]
[JsonSerializable(typeof(InferenceResult))]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(RequestView))]
[JsonSerializable(typeof(Jobs.ChunkOutcome))]
[JsonSerializable(typeof(Jobs.JobFailure))]
[JsonSerializable(typeof(Jobs.JobView))]
[JsonSerializable(typeof(AuditChainLink))]
[JsonSerializable(typeof(AuditHead))]
[JsonSerializable(typeof(AuditEnvelope))]
[JsonSerializable(typeof(AuditSeal))]
[JsonSerializable(typeof(Statistics.StatsRelease))]
[JsonSerializable(typeof(Statistics.PrivacyLedger))]
[JsonSerializable(typeof(Http.StatsListBody))]
public sealed partial class PipelineJsonContext : JsonSerializerContext;
