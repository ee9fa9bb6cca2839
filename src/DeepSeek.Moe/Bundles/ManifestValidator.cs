using System.Globalization;
using System.Text.RegularExpressions;
using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Bundles;

/// <summary>Checks a manifest's fields and their agreement with each other.</summary>
internal static partial class ManifestValidator
{
    public static void Validate(MoeManifest m)
    {
        var errors = new List<(string Field, string Problem)>();
        void Check(bool ok, string field, string problem)
        {
            if (!ok)
            {
                errors.Add((field, problem));
            }
        }

        Check(m.SchemaVersion == MoeManifest.CurrentSchemaVersion, "schema_version",
            $"is {m.SchemaVersion}; this build reads schema version {MoeManifest.CurrentSchemaVersion}");
        Check(!string.IsNullOrWhiteSpace(m.Id) && IdPattern().IsMatch(m.Id), "id",
            $"'{m.Id}' must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        Check(!string.IsNullOrWhiteSpace(m.Version), "version", "must not be empty");
        Check(m.DModel > 0, "d_model", $"is {m.DModel}, must be positive");
        Check(m.DOut > 0, "d_out", $"is {m.DOut}, must be positive");
        Check(WeightPrecisions.All.Contains(m.Precision), "precision", $"'{m.Precision}' is not one of {string.Join(", ", WeightPrecisions.All)}");
        CheckQuantization(m, Check);
        Check(m.Gate is not null, "gate", "is missing");
        if (m.Gate is not null)
        {
            CheckFile(m.Gate.File, m.Gate.Sha256, "gate", Check);
        }

        int experts = m.Experts?.Count ?? 0;
        Check(experts > 0, "experts", "must list at least one routed expert");
        for (int i = 0; i < experts; i++)
        {
            CheckExpert(m.Experts![i], $"experts[{i}]", Check);
        }

        for (int i = 0; i < m.SharedExperts.Count; i++)
        {
            CheckExpert(m.SharedExperts[i], $"shared_experts[{i}]", Check);
        }

        var files = new[] { m.Gate?.File }.Concat((m.Experts ?? []).Select(e => e.File)).Concat(m.SharedExperts.Select(e => e.File))
            .Where(f => f is not null).GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Check(files.Count == 0, "experts", $"files named more than once: {string.Join(", ", files)}");

        var r = m.Routing;
        Check(r is not null, "routing", "is missing");
        if (r is not null && experts > 0)
        {
            CheckRouting(r, experts, Check);
        }

        if (errors.Count > 0)
        {
            var (field, problem) = errors[0];
            var all = string.Join("; ", errors.Select(e => $"{e.Field}: {e.Problem}"));
            throw new BundleException(MoeManifest.FileName, field, errors.Count == 1 ? problem : $"{problem} (all {errors.Count} problems: {all})");
        }
    }

    private static void CheckRouting(RoutingSettings r, int experts, Action<bool, string, string> check)
    {
        check(r.Scoring is ScoringFunctions.Softmax or ScoringFunctions.Sigmoid, "routing.scoring", $"'{r.Scoring}' is not softmax or sigmoid");
        check(float.IsFinite(r.Temperature) && r.Temperature > 0, "routing.temperature", $"is {r.Temperature}, must be finite and positive");
        check(r.TopK >= 1 && r.TopK <= experts, "routing.top_k", $"is {r.TopK}, must be between 1 and the number of experts ({experts})");
        check(float.IsFinite(r.RoutedScalingFactor) && r.RoutedScalingFactor > 0, "routing.routed_scaling_factor", $"is {r.RoutedScalingFactor}, must be finite and positive");
        check(r.GroupScore is GroupScoring.Max or GroupScoring.Top2Sum, "routing.group_score", $"'{r.GroupScore}' is not max or top2-sum");
        bool groupsOk = r.NGroup >= 1 && experts % r.NGroup == 0;
        check(groupsOk, "routing.n_group", $"is {r.NGroup}, must be positive and divide the number of experts ({experts})");
        if (groupsOk)
        {
            check(r.TopkGroup >= 1 && r.TopkGroup <= r.NGroup, "routing.topk_group", $"is {r.TopkGroup}, must be between 1 and n_group ({r.NGroup})");
            int reachable = Math.Min(r.TopkGroup, r.NGroup) * (experts / r.NGroup);
            check(r.NGroup == 1 || r.TopK <= reachable, "routing.top_k", $"is {r.TopK}, but topk_group {r.TopkGroup} groups of {experts / r.NGroup} experts offer only {reachable}");
            check(r.NGroup == 1 || r.GroupScore != GroupScoring.Top2Sum || experts / r.NGroup >= 2, "routing.group_score", "top2-sum needs at least two experts per group");
        }

        if (r.CorrectionBias is { } bias)
        {
            check(bias.Count == experts, "routing.correction_bias", $"has {bias.Count} values, expected one per expert ({experts})");
            check(bias.All(float.IsFinite), "routing.correction_bias", "holds a value that is not finite");
        }
    }

    private static void CheckQuantization(MoeManifest m, Action<bool, string, string> check)
    {
        var q = m.Quantization;
        if (m.Precision == WeightPrecisions.Fp32)
        {
            check(q is null, "quantization", "must be absent when precision is fp32");
            return;
        }

        check(q is not null, "quantization", $"is missing; precision {m.Precision} records how the weights were converted");
        if (q is null || !WeightPrecisions.All.Contains(m.Precision))
        {
            return;
        }

        if (WeightPrecisions.BitsOf(m.Precision) is null)
        {
            check(q.BlockSize is null, "quantization.block_size", $"must be absent when precision is {m.Precision}");
            check(!q.Symmetric, "quantization.symmetric", $"must be false when precision is {m.Precision}");
        }
        else
        {
            check(q.BlockSize is { } b && BlockQuantizer.IsValidBlockSize(b), "quantization.block_size",
                $"is {q.BlockSize?.ToString(CultureInfo.InvariantCulture) ?? "missing"}; {BlockQuantizer.BlockSizeRule}");
        }
    }

    private static void CheckExpert(ExpertManifest e, string field, Action<bool, string, string> check)
    {
        CheckFile(e.File, e.Sha256, field, check);
        check(ExpertKinds.All.Contains(e.Kind), $"{field}.kind", $"'{e.Kind}' is not one of {string.Join(", ", ExpertKinds.All)}");
        check(e.DHidden > 0, $"{field}.d_hidden", $"is {e.DHidden}, must be positive");
        check(e.Shard >= 0, $"{field}.shard", $"is {e.Shard}, must not be negative");
    }

    private static void CheckFile(string file, string sha256, string field, Action<bool, string, string> check)
    {
        check(!string.IsNullOrWhiteSpace(file) && file == Path.GetFileName(file) && file != "." && file != "..",
            $"{field}.file", $"'{file}' must be a plain file name inside the bundle folder");
        check(sha256 is not null && Sha256Pattern().IsMatch(sha256), $"{field}.sha256", $"'{sha256}' is not 64 hex characters");
    }

    /// <summary>Tells whether a model id follows the manifest's rule (checked by importers before they write anything).</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
