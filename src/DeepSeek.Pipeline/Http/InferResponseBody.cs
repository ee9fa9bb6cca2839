using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Http;

/// <summary>The 200 body of <c>POST /api/v1/infer</c>.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Model">The model and version that ran.</param>
/// <param name="Seed">The routing seed (replays the request).</param>
/// <param name="Outputs">Output rows.</param>
/// <param name="Routing">Experts and weights per row.</param>
public sealed record InferResponseBody(string RequestId, ModelRef Model, ulong Seed, float[][] Outputs, RowRouting[] Routing);
