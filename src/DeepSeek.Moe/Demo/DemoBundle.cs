using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Demo;

/// <summary>Writes a seeded demo bundle: Linear gate, Linear-LayerNorm-GeLU-Linear experts, Gumbel softmax top-k. The same options give byte-identical files.</summary>
public static class DemoBundle
{
    /// <summary>Creates the bundle folder (it must be empty or absent) and loads it back.</summary>
    /// <param name="directory">The folder to write.</param>
    /// <param name="options">The shape and seed.</param>
    /// <returns>The validated bundle.</returns>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    /// <exception cref="IOException">The folder exists and is not empty.</exception>
    public static ModelBundle Create(string directory, DemoBundleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Experts, 1, nameof(options.Experts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TopK, 1, nameof(options.TopK));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TopK, options.Experts, nameof(options.TopK));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DModel, 1, nameof(options.DModel));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DFf, 1, nameof(options.DFf));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Shards, 1, nameof(options.Shards));
        ArgumentOutOfRangeException.ThrowIfNegative(options.SharedExperts, nameof(options.SharedExperts));
        bool swiGlu = options.ExpertKind == ExpertKinds.SwiGlu;
        if (!swiGlu && options.ExpertKind != ExpertKinds.LinearLayerNormGelu)
        {
            throw new ArgumentException($"Demo experts are {ExpertKinds.LinearLayerNormGelu} or {ExpertKinds.SwiGlu}, not '{options.ExpertKind}'.", nameof(options));
        }

        BundleFolder.PrepareEmpty(directory);

        var rng = new Random(options.Seed);
        int d = options.DModel, ff = options.DFf, e = options.Experts;
        ExpertGraphs.SaveGate(Path.Combine(directory, "gate.onnx"), Normal(rng, d * e, 1.0 / Math.Sqrt(d)), d, e);
        var experts = new List<ExpertManifest>();
        var shared = new List<ExpertManifest>();
        for (int i = 0; i < e + options.SharedExperts; i++)
        {
            ExpertWeights weights = swiGlu
                ? new SwiGluWeights(d, ff, d,
                    Normal(rng, d * ff, 1.0 / Math.Sqrt(d)),
                    Normal(rng, d * ff, 1.0 / Math.Sqrt(d)),
                    Normal(rng, ff * d, 1.0 / Math.Sqrt(ff)))
                : new LinearLayerNormGeluWeights(d, ff, d,
                    Normal(rng, d * ff, 1.0 / Math.Sqrt(d)),
                    Normal(rng, ff, 0.02),
                    Shifted(Normal(rng, ff, 0.1), 1f),
                    Normal(rng, ff, 0.1),
                    Normal(rng, ff * d, 1.0 / Math.Sqrt(ff)),
                    Normal(rng, d, 0.02));
            bool isShared = i >= e;
            var file = isShared ? $"shared_{i - e:D3}.onnx" : $"expert_{i:D3}.onnx";
            weights.Save(Path.Combine(directory, file));
            (isShared ? shared : experts).Add(new ExpertManifest
            {
                File = file,
                Sha256 = FileHash.Sha256(Path.Combine(directory, file)),
                Kind = weights.Kind,
                DHidden = ff,
                Shard = i % options.Shards,
            });
        }

        var manifest = new MoeManifest
        {
            Id = options.Id,
            Version = $"1.0.0-seed{options.Seed}",
            DModel = d,
            DOut = d,
            Routing = new RoutingSettings
            {
                Scoring = ScoringFunctions.Softmax,
                Temperature = swiGlu ? 1f : options.Temperature,
                TopK = options.TopK,
                Renormalize = true,
                GumbelNoise = !swiGlu,
            },
            Gate = new GateManifest { File = "gate.onnx", Sha256 = FileHash.Sha256(Path.Combine(directory, "gate.onnx")) },
            Experts = experts,
            SharedExperts = shared,
            Source = $"demo: {options.ExpertKind}, seed {options.Seed}, {e} experts, top-{options.TopK}, d_model {d}, d_ff {ff}",
        };
        ModelBundle.WriteManifest(directory, manifest);
        return ModelBundle.Load(directory);
    }

    /// <summary>Gaussian values N(0, sigma^2) by Box-Muller from a seeded generator.</summary>
    internal static float[] Normal(Random rng, int count, double sigma)
    {
        var values = new float[count];
        for (int i = 0; i < count; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1)) * sigma;
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < count)
            {
                values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }

        return values;
    }

    private static float[] Shifted(float[] values, float by)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += by;
        }

        return values;
    }
}
