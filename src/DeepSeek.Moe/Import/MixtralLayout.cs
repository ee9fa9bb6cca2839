using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Import;

/// <summary>Mixtral: <c>block_sparse_moe</c> with experts <c>w1</c> (gate), <c>w3</c> (up), <c>w2</c> (down); softmax top-k, always renormalized.</summary>
internal static class MixtralLayout
{
    public const string ModelType = "mixtral";

    public static MoeLayerLayout Describe(HfCheckpoint checkpoint, int layer)
    {
        var c = checkpoint.Config;
        var p = $"model.layers.{layer}.block_sparse_moe.";
        int experts = c.Int("num_local_experts");
        return new MoeLayerLayout
        {
            ModelType = ModelType,
            Layer = layer,
            Hidden = c.Int("hidden_size"),
            ExpertWidth = c.Int("intermediate_size"),
            Router = $"{p}gate.weight",
            Experts = [.. Enumerable.Range(0, Math.Max(0, experts)).Select(i =>
                new SwiGluTensorNames($"{p}experts.{i}.w1.weight", $"{p}experts.{i}.w3.weight", $"{p}experts.{i}.w2.weight"))],
            Routing = new RoutingSettings
            {
                Scoring = ScoringFunctions.Softmax,
                TopK = c.Int("num_experts_per_tok"),
                Renormalize = true,
            },
        };
    }
}
