using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Functions.Hosting;

/// <summary>
/// The app settings that name the queues the triggers listen on (root keys, so the Functions host resolves
/// them in <c>%...%</c> binding expressions). They must agree with <see cref="StorageLayout"/> for
/// <c>Pipeline:Prefix</c>; the app refuses to start otherwise.
/// </summary>
public sealed class QueueSettings
{
    /// <summary>The storage connection every trigger uses.</summary>
    public const string Connection = StorageClients.DefaultConnection;

    /// <summary>The gate trigger's queue expression.</summary>
    public const string GateTrigger = "%" + nameof(MoeGateQueue) + "%";

    /// <summary>The expert trigger's queue expression (one shard per deployment).</summary>
    public const string ExpertTrigger = "%" + nameof(MoeExpertQueue) + "%";

    /// <summary>The aggregate trigger's queue expression.</summary>
    public const string AggregateTrigger = "%" + nameof(MoeAggregateQueue) + "%";

    /// <summary>The batch job trigger's queue expression.</summary>
    public const string JobsTrigger = "%" + nameof(MoeJobsQueue) + "%";

    /// <summary>Gets or sets the gate queue (<c>{prefix}-gate</c>).</summary>
    public string? MoeGateQueue { get; set; }

    /// <summary>Gets or sets the expert shard queue this deployment serves (<c>{prefix}-expert-{shard}</c>).</summary>
    public string? MoeExpertQueue { get; set; }

    /// <summary>Gets or sets the aggregate queue (<c>{prefix}-aggregate</c>).</summary>
    public string? MoeAggregateQueue { get; set; }

    /// <summary>Gets or sets the batch job queue (<c>{prefix}-jobs</c>).</summary>
    public string? MoeJobsQueue { get; set; }
}
