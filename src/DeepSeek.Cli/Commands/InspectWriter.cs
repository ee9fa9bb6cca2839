using DeepSeek.Moe.Bundles;

namespace DeepSeek.Cli.Commands;

/// <summary>The human-readable summary of <c>deepseek model inspect</c>.</summary>
internal static class InspectWriter
{
    public static void Write(TextWriter w, ModelBundle bundle, long bytes)
    {
        var m = bundle.Manifest;
        var r = m.Routing;
        w.WriteLine($"Bundle      {bundle.Directory}");
        w.WriteLine($"Model       {m.Id} {m.Version} (schema {m.SchemaVersion}, {m.Precision})");
        if (m.Source is not null)
        {
            w.WriteLine($"Source      {m.Source}");
        }

        if (m.Quantization is { } q)
        {
            string layout = q.BlockSize is { } b ? $"blocks of {b} along K, {(q.Symmetric ? "symmetric" : "asymmetric")}" : "float16 weights";
            w.WriteLine($"Precision   {m.Precision}: {layout}; gate {(q.Gate ? m.Precision : WeightPrecisions.Fp32)}{(q.From is null ? "" : $"; from {q.From}")}");
        }

        w.WriteLine($"Shape       d_model {m.DModel} -> d_out {m.DOut}, {m.Experts.Count} routed + {m.SharedExperts.Count} shared experts, {bytes / 1e6:F1} MB");
        w.WriteLine(ModelCommand.Invariant($"Routing     {r.Scoring}, top-{r.TopK}, temperature {r.Temperature}, renormalize {r.Renormalize}, scaling {r.RoutedScalingFactor}"));
        w.WriteLine($"            groups {r.NGroup} (keep {r.TopkGroup}, {r.GroupScore}), correction bias {(r.CorrectionBias is null ? "none" : "yes")}, gumbel noise {r.GumbelNoise}");
        w.WriteLine($"Gate        {m.Gate.File} {m.Gate.Sha256[..12]}");
        WriteExperts(w, "Expert", m.Experts);
        WriteExperts(w, "Shared", m.SharedExperts);
        w.WriteLine("Valid       manifest, checksums and ONNX input/output signatures verified");
    }

    private static void WriteExperts(TextWriter w, string label, IReadOnlyList<ExpertManifest> experts)
    {
        for (int i = 0; i < experts.Count; i++)
        {
            var e = experts[i];
            w.WriteLine($"{label} {i,3}  {e.File,-20} {e.Kind,-22} d_hidden {e.DHidden,-6} shard {e.Shard,-3} {e.Sha256[..12]}");
        }
    }
}
