using System.Globalization;
using DeepSeek.Moe.Bundles;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Configuration;

namespace DeepSeek.Worker;

/// <summary>
/// The app settings the queue triggers resolve (<c>%MoeGateQueue%</c>, ...), derived from <c>Pipeline:Prefix</c>
/// exactly as the Functions app's settings are, plus one expert trigger per shard served: every shard the models
/// use, or the <see cref="WorkerOptions.Shards"/> chosen. <see cref="WorkerOptions.Front"/> switches the gate,
/// aggregate and job triggers.
/// </summary>
internal static class WorkerSettings
{
    /// <summary>The most expert shards one worker process serves (one trigger method each).</summary>
    public const int MaxShards = 8;

    public const string GateQueue = "MoeGateQueue";
    public const string AggregateQueue = "MoeAggregateQueue";
    public const string JobsQueue = "MoeJobsQueue";

    public static string ExpertQueue(int shard) => string.Create(CultureInfo.InvariantCulture, $"MoeExpertQueue{shard}");

    /// <summary>The setting that disables the gate, aggregate and job triggers and their poison triggers.</summary>
    public const string FrontDisabled = "MoeFrontDisabled";

    public static string ExpertDisabled(int shard) => string.Create(CultureInfo.InvariantCulture, $"MoeExpertShard{shard}Disabled");

    /// <summary>Computes the trigger settings for a configuration (its prefix and the shards of the models folder).</summary>
    public static Dictionary<string, string?> For(IConfiguration configuration)
    {
        var options = new PipelineOptions();
        configuration.GetSection(PipelineOptions.SectionName).Bind(options);
        var worker = new WorkerOptions();
        configuration.GetSection(WorkerOptions.SectionName).Bind(worker);
        var layout = new StorageLayout(options.Prefix);
        var used = ShardsOf(options.ModelsPath);
        var served = worker.Shards.Count == 0 ? used : worker.Shards.ToHashSet();
        var unused = served.Except(used).Order().ToList();
        if (unused.Count > 0)
        {
            throw new InvalidOperationException($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Shards)} names shards {string.Join(", ", unused)}, which no model uses (the models use {string.Join(", ", used.Order())}).");
        }

        var outOfRange = served.Where(s => s >= MaxShards).Order().ToList();
        if (outOfRange.Count > 0)
        {
            throw new InvalidOperationException($"The models use expert shards {string.Join(", ", outOfRange)}; one worker serves shards 0 to {MaxShards - 1}. Renumber the shards in moe.json or run a worker per shard group ({WorkerOptions.SectionName}:{nameof(WorkerOptions.Shards)}).");
        }

        var settings = new Dictionary<string, string?>
        {
            [GateQueue] = layout.GateQueue,
            [AggregateQueue] = layout.AggregateQueue,
            [JobsQueue] = layout.JobsQueue,
            [FrontDisabled] = worker.Front ? "false" : "true",
        };
        for (int shard = 0; shard < MaxShards; shard++)
        {
            settings[ExpertQueue(shard)] = layout.ExpertQueue(shard);
            settings[ExpertDisabled(shard)] = served.Contains(shard) ? "false" : "true";
        }

        return settings;
    }

    private static HashSet<int> ShardsOf(string modelsPath) =>
        ModelRegistry.BundleFolders(modelsPath)
            .Select(d => ModelBundle.ReadManifest(Path.Combine(d, MoeManifest.FileName)))
            .SelectMany(m => m.Experts.Concat(m.SharedExperts)).Select(e => e.Shard).ToHashSet();
}
