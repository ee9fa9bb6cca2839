using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Native.Tests.Kernels;

/// <summary>
/// The engine's router as the reference of <c>dsm_topk_gate_f32</c>: softmax at a temperature, top-k with ties to the
/// lower index, renormalized over the chosen k, which is the softmax of the chosen logits alone.
/// </summary>
internal static class RouterReference
{
    public static RoutingResult Route(float[] logits, int rows, int experts, int k, float temperature)
    {
        var settings = new RoutingSettings
        {
            Scoring = ScoringFunctions.Softmax,
            Temperature = temperature,
            TopK = k,
            Renormalize = true,
        };
        return new Router(settings, experts).Route(logits, rows, seed: 0);
    }
}
