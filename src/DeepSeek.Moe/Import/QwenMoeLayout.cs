using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Import;

/// <summary>
/// Qwen2-MoE and Qwen3-MoE: <c>mlp.gate</c>, <c>mlp.experts.{i}</c>, softmax top-k renormalized when
/// <c>norm_topk_prob</c>; a shared expert scaled by <c>sigmoid(shared_expert_gate x)</c> (always in
/// Qwen2-MoE, in Qwen3-MoE only where the checkpoint holds one).
/// </summary>
internal static class QwenMoeLayout
{
    public const string Qwen2 = "qwen2_moe", Qwen3 = "qwen3_moe";

    public static MoeLayerLayout Describe(HfCheckpoint checkpoint, int layer, bool qwen3)
    {
        var c = checkpoint.Config;
        var type = qwen3 ? Qwen3 : Qwen2;
        int experts = c.Int("num_experts"), step = c.Int("decoder_sparse_step", 1);
        var mlpOnly = c.Ints("mlp_only_layers");
        if (step < 1)
        {
            throw new ImportException($"config.json: decoder_sparse_step is {step}, must be positive");
        }

        if (experts <= 0 || mlpOnly.Contains(layer) || (layer + 1) % step != 0)
        {
            throw new ImportException(
                $"layer {layer} of this {type} checkpoint is a dense MLP, not a mixture of experts (config.json num_experts is {experts}, decoder_sparse_step is {step}, mlp_only_layers is [{string.Join(", ", mlpOnly)}]); choose an MoE layer");
        }

        var p = $"model.layers.{layer}.mlp.";
        return new MoeLayerLayout
        {
            ModelType = type,
            Layer = layer,
            Hidden = c.Int("hidden_size"),
            ExpertWidth = c.Int("moe_intermediate_size"),
            Router = $"{p}gate.weight",
            Experts = [.. Enumerable.Range(0, experts).Select(i => SwiGluTensorNames.Projections($"{p}experts.{i}."))],
            Shared = SharedExpert(checkpoint, p, qwen3),
            Routing = new RoutingSettings
            {
                Scoring = ScoringFunctions.Softmax,
                TopK = c.Int("num_experts_per_tok"),
                Renormalize = c.Bool("norm_topk_prob", qwen3),
            },
        };
    }

    private static SharedExpertLayout? SharedExpert(HfCheckpoint checkpoint, string p, bool qwen3)
    {
        var names = SwiGluTensorNames.Projections($"{p}shared_expert.");
        var gate = $"{p}shared_expert_gate.weight";
        var c = checkpoint.Config;
        if (!qwen3)
        {
            return new SharedExpertLayout(names, c.Int("shared_expert_intermediate_size"), gate);
        }

        if (!checkpoint.Contains(names.Gate))
        {
            return null;
        }

        int width = c.Has("shared_expert_intermediate_size")
            ? c.Int("shared_expert_intermediate_size")
            : (int)checkpoint.ShapeOf(names.Gate)[0];
        return new SharedExpertLayout(names, width, checkpoint.Contains(gate) ? gate : null);
    }
}
