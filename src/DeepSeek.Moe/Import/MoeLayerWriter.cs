using System.Security.Cryptography;
using System.Text;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Import;

/// <summary>Converts one MoE layer's tensors into bundle files, one expert at a time so a large layer never sits in memory whole.</summary>
internal static class MoeLayerWriter
{
    public const string GateFile = "gate.onnx";

    /// <summary>Writes <c>gate.onnx</c>, <c>expert_NNN.onnx</c> and <c>shared_000.onnx</c> and returns the manifest for them.</summary>
    public static MoeManifest Write(HfCheckpoint checkpoint, MoeLayerLayout layout, string directory, string id, int shards)
    {
        int hidden = layout.Hidden, e = layout.Experts.Count;

        // nn.Linear stores [out, in]; bundle graphs compute x @ W with W [in, out].
        var router = checkpoint.Read(layout.Router, e, hidden);
        ExpertGraphs.SaveGate(Path.Combine(directory, GateFile), Transpose(router, e, hidden), hidden, e);
        var bias = layout.CorrectionBias is { } b ? checkpoint.Read(b, e) : null;

        var experts = new List<ExpertManifest>(e);
        for (int i = 0; i < e; i++)
        {
            var weights = ReadSwiGlu(checkpoint, layout.Experts[i], hidden, layout.ExpertWidth, null);
            experts.Add(Save(weights, directory, $"expert_{i:D3}.onnx", i % shards));
        }

        var shared = new List<ExpertManifest>();
        if (layout.Shared is { } s)
        {
            var weights = ReadSwiGlu(checkpoint, s.Names, hidden, s.Width, s.GateVector);
            shared.Add(Save(weights, directory, "shared_000.onnx", 0));
        }

        var gate = new GateManifest { File = GateFile, Sha256 = FileHash.Sha256(Path.Combine(directory, GateFile)) };
        return new MoeManifest
        {
            Id = id,
            Version = $"{layout.ModelType}-layer{layout.Layer}+{ShortHash(gate, experts, shared, bias)}",
            DModel = hidden,
            DOut = hidden,
            Routing = layout.Routing with { CorrectionBias = bias },
            Gate = gate,
            Experts = experts,
            SharedExperts = shared,
            Source = Describe(checkpoint, layout),
        };
    }

    private static SwiGluWeights ReadSwiGlu(HfCheckpoint checkpoint, SwiGluTensorNames names, int hidden, int width, string? gateVector)
    {
        var gate = Transpose(checkpoint.Read(names.Gate, width, hidden), width, hidden);
        var up = Transpose(checkpoint.Read(names.Up, width, hidden), width, hidden);
        var down = Transpose(checkpoint.Read(names.Down, hidden, width), hidden, width);

        // [1, hidden] row-major is the same memory as the [hidden, 1] the graph wants.
        var sharedGate = gateVector is null ? null : checkpoint.Read(gateVector, 1, hidden);
        return new SwiGluWeights(hidden, width, hidden, gate, up, down, sharedGate);
    }

    private static ExpertManifest Save(SwiGluWeights weights, string directory, string file, int shard)
    {
        var path = Path.Combine(directory, file);
        weights.Save(path);
        return new ExpertManifest { File = file, Sha256 = FileHash.Sha256(path), Kind = weights.Kind, DHidden = weights.DHidden, Shard = shard };
    }

    /// <summary>Transposes a row-major <c>[rows, cols]</c> matrix into <c>[cols, rows]</c>.</summary>
    internal static float[] Transpose(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                t[c * rows + r] = m[r * cols + c];
            }
        }

        return t;
    }

    private static string ShortHash(GateManifest gate, List<ExpertManifest> experts, List<ExpertManifest> shared, float[]? bias)
    {
        // The ONNX files are deterministic in the weights, so their hashes stand for the tensors.
        var text = new StringBuilder(gate.Sha256);
        foreach (var e in experts.Concat(shared))
        {
            text.Append(e.Sha256);
        }

        foreach (var v in bias ?? [])
        {
            text.Append(BitConverter.SingleToInt32Bits(v).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }

    private static string Describe(HfCheckpoint checkpoint, MoeLayerLayout layout)
    {
        var name = checkpoint.Config.String("_name_or_path") is { Length: > 0 } n ? n : Path.GetFileName(checkpoint.Directory);
        var shared = layout.Shared is null ? string.Empty : $", shared expert of width {layout.Shared.Width}";
        return $"hugging face {layout.ModelType} layer {layout.Layer} of '{name}' ({string.Join("/", checkpoint.DTypesSeen)}; " +
            $"{layout.Experts.Count} experts of width {layout.ExpertWidth}, top-{layout.Routing.TopK}{shared})";
    }
}
