namespace DeepSeek.Moe.Tests.Import;

/// <summary>
/// Each architecture's MoE block computed the way its Hugging Face modeling code does, straight from the
/// raw checkpoint tensors ([out, in] weights), in double precision, one row at a time.
/// </summary>
internal static class HfReference
{
    public sealed record Result(double[] Outputs, int[][] Chosen);

    /// <summary>MixtralSparseMoeBlock: softmax, top-k, divide by the top-k sum.</summary>
    public static Result Mixtral(FakeCheckpoint c, float[] x, int rows)
    {
        var p = FakeModels.Prefix("mixtral");
        int k = Int(c, "num_experts_per_tok");
        return Run(c, x, rows, p + "gate.weight", i => ($"{p}experts.{i}.w1.weight", $"{p}experts.{i}.w3.weight", $"{p}experts.{i}.w2.weight"), logits =>
        {
            var probs = Softmax(logits);
            var idx = TopK(probs, k);
            double sum = idx.Sum(i => probs[i]);
            return (idx, [.. idx.Select(i => probs[i] / sum)]);
        });
    }

    /// <summary>DeepSeek-V3 MoEGate (noaux_tc): sigmoid, + bias for choice, groups by top-2 sum, others masked to 0.0, weights from unbiased scores.</summary>
    public static Result DeepSeekV3(FakeCheckpoint c, float[] x, int rows)
    {
        var p = FakeModels.Prefix("deepseek_v3");
        var bias = c[p + "gate.e_score_correction_bias"];
        return DeepSeek(c, x, rows, p, logits =>
        {
            var scores = logits.Select(v => 1.0 / (1.0 + Math.Exp(-v))).ToArray();
            var choice = scores.Select((s, j) => s + bias[j]).ToArray();
            return (scores, MaskGroups(choice, Int(c, "n_group"), Int(c, "topk_group"), g => g.OrderDescending().Take(2).Sum()));
        }, scaleAlways: true);
    }

    /// <summary>DeepSeek-V2 MoEGate: softmax; greedy, or group_limited_greedy (group max, others masked to 0.0).</summary>
    public static Result DeepSeekV2(FakeCheckpoint c, float[] x, int rows)
    {
        var p = FakeModels.Prefix("deepseek_v2");
        return DeepSeek(c, x, rows, p, logits =>
        {
            var scores = Softmax(logits);
            return (scores, Str(c, "topk_method") == "greedy"
                ? scores
                : MaskGroups(scores, Int(c, "n_group"), Int(c, "topk_group"), g => g.Max()));
        }, scaleAlways: false);
    }

    /// <summary>Qwen2MoeSparseMoeBlock / Qwen3MoeSparseMoeBlock: softmax, top-k, optional renormalization, sigmoid-gated shared expert.</summary>
    public static Result Qwen(FakeCheckpoint c, float[] x, int rows)
    {
        var type = Str(c, "model_type");
        var p = FakeModels.Prefix(type);
        int k = Int(c, "num_experts_per_tok");
        bool norm = c.Config["norm_topk_prob"]?.GetValue<bool>() ?? type == "qwen3_moe";
        var shared = c.Has(p + "shared_expert.gate_proj.weight") ? p + "shared_expert." : null;
        return Run(c, x, rows, p + "gate.weight", i => Projections($"{p}experts.{i}."), logits =>
        {
            var probs = Softmax(logits);
            var idx = TopK(probs, k);
            double sum = norm ? idx.Sum(i => probs[i]) : 1.0;
            return (idx, [.. idx.Select(i => probs[i] / sum)]);
        }, shared, shared is null ? null : p + "shared_expert_gate.weight");
    }

    private static Result DeepSeek(FakeCheckpoint c, float[] x, int rows, string p, Func<double[], (double[] Scores, double[] Choice)> score, bool scaleAlways)
    {
        int k = Int(c, "num_experts_per_tok");
        bool norm = c.Config["norm_topk_prob"]!.GetValue<bool>();
        double factor = c.Config["routed_scaling_factor"]!.GetValue<double>();
        return Run(c, x, rows, p + "gate.weight", i => Projections($"{p}experts.{i}."), logits =>
        {
            var (scores, choice) = score(logits);
            var idx = TopK(choice, k);
            var w = idx.Select(i => scores[i]).ToArray();
            bool renormalize = k > 1 && norm;
            double denominator = renormalize ? w.Sum() + 1e-20 : 1.0;
            double scale = renormalize && !scaleAlways ? 1.0 : factor;
            return (idx, [.. w.Select(v => v / denominator * scale)]);
        }, p + "shared_experts.");
    }

    private static Result Run(FakeCheckpoint c, float[] x, int rows, string router, Func<int, (string Gate, string Up, string Down)> expert,
        Func<double[], (int[] Idx, double[] W)> route, string? shared = null, string? sharedGate = null)
    {
        int h = Int(c, "hidden_size");
        var output = new double[rows * h];
        var chosen = new int[rows][];
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Skip(r * h).Take(h).Select(v => (double)v).ToArray();
            var (idx, w) = route(Linear(c[router], xr));
            chosen[r] = idx;
            var y = new double[h];
            for (int i = 0; i < idx.Length; i++)
            {
                var (g, u, d) = expert(idx[i]);
                Accumulate(y, SwiGlu(c, g, u, d, xr), w[i]);
            }

            if (shared is not null)
            {
                var (g, u, d) = Projections(shared);
                double gate = sharedGate is null ? 1.0 : 1.0 / (1.0 + Math.Exp(-Linear(c[sharedGate], xr)[0]));
                Accumulate(y, SwiGlu(c, g, u, d, xr), gate);
            }

            y.CopyTo(output, r * h);
        }

        return new Result(output, chosen);
    }

    private static double[] SwiGlu(FakeCheckpoint c, string gate, string up, string down, double[] x)
    {
        var g = Linear(c[gate], x);
        var u = Linear(c[up], x);
        var m = g.Select((v, j) => v / (1.0 + Math.Exp(-v)) * u[j]).ToArray();
        return Linear(c[down], m);
    }

    /// <summary>nn.Linear without bias: <c>y = W x</c> with <c>W [out, in]</c>.</summary>
    private static double[] Linear(float[] w, double[] x)
    {
        var y = new double[w.Length / x.Length];
        for (int o = 0; o < y.Length; o++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[o] += w[o * x.Length + i] * x[i];
            }
        }

        return y;
    }

    private static double[] MaskGroups(double[] choice, int groups, int keep, Func<IEnumerable<double>, double> groupScore)
    {
        int size = choice.Length / groups;
        var scores = Enumerable.Range(0, groups).Select(g => groupScore(choice.Skip(g * size).Take(size))).ToArray();
        var kept = TopK(scores, keep);
        return [.. choice.Select((v, j) => kept.Contains(j / size) ? v : 0.0)];
    }

    private static int[] TopK(double[] values, int k) =>
        [.. values.Select((v, i) => (v, i)).OrderByDescending(p => p.v).ThenBy(p => p.i).Take(k).Select(p => p.i)];

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    private static void Accumulate(double[] y, double[] add, double weight)
    {
        for (int j = 0; j < y.Length; j++)
        {
            y[j] += weight * add[j];
        }
    }

    private static (string, string, string) Projections(string prefix) =>
        ($"{prefix}gate_proj.weight", $"{prefix}up_proj.weight", $"{prefix}down_proj.weight");

    private static int Int(FakeCheckpoint c, string name) => c.Config[name]!.GetValue<int>();

    private static string Str(FakeCheckpoint c, string name) => c.Config[name]!.GetValue<string>();
}
