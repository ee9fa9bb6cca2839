using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Import;

/// <summary>
/// DeepSeek-V2 and -V3: <c>mlp.gate</c> (V3 also <c>e_score_correction_bias</c>), <c>mlp.experts.{i}</c> and
/// <c>mlp.shared_experts</c> of width <c>moe_intermediate_size * n_shared_experts</c>, following the
/// checkpoints' own <c>modeling_deepseek.py</c>: renormalization only when <c>top_k &gt; 1</c> and
/// <c>norm_topk_prob</c>; V3 then always multiplies by <c>routed_scaling_factor</c>, V2 only when it did not renormalize.
/// </summary>
internal static class DeepSeekLayout
{
    public const string V2 = "deepseek_v2", V3 = "deepseek_v3";

    public static MoeLayerLayout Describe(HfCheckpoint checkpoint, int layer, bool v3)
    {
        var c = checkpoint.Config;
        var type = v3 ? V3 : V2;
        int firstDense = c.Int("first_k_dense_replace", 0), frequency = c.Int("moe_layer_freq", 1);
        if (frequency < 1)
        {
            throw new ImportException($"config.json: moe_layer_freq is {frequency}, must be positive");
        }

        if (layer < firstDense || layer % frequency != 0)
        {
            throw new ImportException(
                $"layer {layer} of this {type} checkpoint is a dense MLP, not a mixture of experts (config.json first_k_dense_replace is {firstDense}, moe_layer_freq is {frequency}); choose an MoE layer");
        }

        int topK = c.Int("num_experts_per_tok");
        var scoring = c.String("scoring_func") ?? (v3 ? ScoringFunctions.Sigmoid : ScoringFunctions.Softmax);
        if (scoring is not (ScoringFunctions.Softmax or ScoringFunctions.Sigmoid))
        {
            throw new ImportException($"config.json: scoring_func '{scoring}' is not supported; expected softmax or sigmoid");
        }

        var method = c.String("topk_method") ?? (v3 ? "noaux_tc" : "greedy");
        var (nGroup, groupScore) = method switch
        {
            "noaux_tc" => (c.Int("n_group", 1), GroupScoring.Top2Sum),
            "group_limited_greedy" => (c.Int("n_group", 1), GroupScoring.Max),

            // "gready" is the misspelt default of DeepSeek-V2's own config class.
            "greedy" or "gready" => (1, GroupScoring.Max),
            _ => throw new ImportException($"config.json: topk_method '{method}' is not supported; expected noaux_tc, group_limited_greedy or greedy"),
        };

        bool renormalize = topK > 1 && c.Bool("norm_topk_prob", v3);
        float factor = c.Float("routed_scaling_factor", 1f);
        var p = $"model.layers.{layer}.mlp.";
        int width = c.Int("moe_intermediate_size"), shared = c.Int("n_shared_experts", 0);
        int experts = c.Int("n_routed_experts");
        return new MoeLayerLayout
        {
            ModelType = type,
            Layer = layer,
            Hidden = c.Int("hidden_size"),
            ExpertWidth = width,
            Router = $"{p}gate.weight",
            CorrectionBias = v3 && checkpoint.Contains($"{p}gate.e_score_correction_bias") ? $"{p}gate.e_score_correction_bias" : null,
            Experts = [.. Enumerable.Range(0, Math.Max(0, experts)).Select(i => SwiGluTensorNames.Projections($"{p}experts.{i}."))],
            Shared = shared > 0 ? new SharedExpertLayout(SwiGluTensorNames.Projections($"{p}shared_experts."), width * shared, null) : null,
            Routing = new RoutingSettings
            {
                Scoring = scoring,
                TopK = topK,
                Renormalize = renormalize,
                RoutedScalingFactor = v3 || !renormalize ? factor : 1f,
                NGroup = nGroup,
                TopkGroup = nGroup == 1 ? 1 : c.Int("topk_group", nGroup),
                GroupScore = groupScore,
            },
        };
    }
}
