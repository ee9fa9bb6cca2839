using System.Text.Json.Nodes;

namespace DeepSeek.Moe.Tests.Import;

/// <summary>Tiny checkpoints of each supported architecture: hidden 32, expert width 48, 8 experts, top-2, MoE layer 1 of 3.</summary>
internal static class FakeModels
{
    public const int Hidden = 32, Width = 48, Experts = 8, TopK = 2, Layers = 3, Layer = 1;

    public static string Prefix(string modelType) => modelType == "mixtral"
        ? $"model.layers.{Layer}.block_sparse_moe."
        : $"model.layers.{Layer}.mlp.";

    public static FakeCheckpoint Mixtral()
    {
        var c = Base("mixtral", seed: 11);
        c.Config["num_local_experts"] = Experts;
        c.Config["intermediate_size"] = Width;
        var p = Prefix("mixtral");
        c.AddLinear(p + "gate.weight", Experts, Hidden);
        for (int i = 0; i < Experts; i++)
        {
            c.AddSwiGlu($"{p}experts.{i}.", "w1.weight", "w3.weight", "w2.weight", Hidden, Width);
        }

        return c;
    }

    /// <summary>DeepSeek-V3: sigmoid, noaux_tc over 4 groups keeping 2, a nonzero correction bias, scaling 2.5, two shared experts' width.</summary>
    public static FakeCheckpoint DeepSeekV3()
    {
        var c = DeepSeek("deepseek_v3", seed: 12, sharedExperts: 2);
        c.Config["scoring_func"] = "sigmoid";
        c.Config["topk_method"] = "noaux_tc";
        c.Config["norm_topk_prob"] = true;
        c.Config["routed_scaling_factor"] = 2.5;
        c.Add(Prefix("deepseek_v3") + "gate.e_score_correction_bias", [Experts], 0.2);
        return c;
    }

    /// <summary>DeepSeek-V2: softmax, greedy or group_limited_greedy (max per group, 4 groups keeping 2), scaling 3.</summary>
    public static FakeCheckpoint DeepSeekV2(string topkMethod, bool normTopkProb)
    {
        var c = DeepSeek("deepseek_v2", seed: 13, sharedExperts: 1);
        c.Config["scoring_func"] = "softmax";
        c.Config["topk_method"] = topkMethod;
        c.Config["norm_topk_prob"] = normTopkProb;
        c.Config["routed_scaling_factor"] = 3.0;
        return c;
    }

    /// <summary>Qwen-MoE: softmax top-k; Qwen2 with a sigmoid-gated shared expert of width 64 and norm_topk_prob false; Qwen3 leaves norm_topk_prob to its default.</summary>
    public static FakeCheckpoint Qwen(bool qwen3, bool sharedExpert)
    {
        var type = qwen3 ? "qwen3_moe" : "qwen2_moe";
        var c = Base(type, seed: qwen3 ? 14 : 15);
        c.Config["num_experts"] = Experts;
        c.Config["moe_intermediate_size"] = Width;
        c.Config["decoder_sparse_step"] = 1;
        c.Config["mlp_only_layers"] = new JsonArray(0);
        if (!qwen3)
        {
            c.Config["norm_topk_prob"] = false;
        }

        var p = Prefix(type);
        AddRoutedExperts(c, p);
        if (sharedExpert)
        {
            c.Config["shared_expert_intermediate_size"] = 64;
            c.AddSwiGlu(p + "shared_expert.", "gate_proj.weight", "up_proj.weight", "down_proj.weight", Hidden, 64);
            c.AddLinear(p + "shared_expert_gate.weight", 1, Hidden);
        }

        return c;
    }

    private static FakeCheckpoint DeepSeek(string type, int seed, int sharedExperts)
    {
        var c = Base(type, seed);
        c.Config["n_routed_experts"] = Experts;
        c.Config["moe_intermediate_size"] = Width;
        c.Config["n_shared_experts"] = sharedExperts;
        c.Config["n_group"] = 4;
        c.Config["topk_group"] = 2;
        c.Config["first_k_dense_replace"] = 1;
        c.Config["moe_layer_freq"] = 1;
        var p = Prefix(type);
        AddRoutedExperts(c, p);
        c.AddSwiGlu(p + "shared_experts.", "gate_proj.weight", "up_proj.weight", "down_proj.weight", Hidden, Width * sharedExperts);
        return c;
    }

    private static void AddRoutedExperts(FakeCheckpoint c, string p)
    {
        c.AddLinear(p + "gate.weight", Experts, Hidden);
        for (int i = 0; i < Experts; i++)
        {
            c.AddSwiGlu($"{p}experts.{i}.", "gate_proj.weight", "up_proj.weight", "down_proj.weight", Hidden, Width);
        }
    }

    private static FakeCheckpoint Base(string modelType, int seed)
    {
        var c = new FakeCheckpoint(seed);
        c.Config["_name_or_path"] = $"tests/tiny-{modelType}";
        c.Config["model_type"] = modelType;
        c.Config["hidden_size"] = Hidden;
        c.Config["num_hidden_layers"] = Layers;
        c.Config["num_experts_per_tok"] = TopK;
        return c;
    }
}
