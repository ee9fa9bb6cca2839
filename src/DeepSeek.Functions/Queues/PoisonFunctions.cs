using DeepSeek.Functions.Hosting;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace DeepSeek.Functions.Queues;

/// <summary>
/// One trigger per poison queue: a message that failed every delivery is recorded as a failed
/// request (or job) with its reason, so no caller waits forever.
/// </summary>
/// <param name="stage">The poison stage.</param>
/// <param name="settings">The queue names the triggers resolved.</param>
public sealed class PoisonFunctions(PoisonStage stage, IOptions<QueueSettings> settings)
{
    private const string Suffix = StorageLayout.PoisonSuffix;
    private readonly QueueSettings _queues = settings.Value;

    /// <summary>Records a gate message that failed every delivery.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(GatePoison))]
    public Task GatePoison([QueueTrigger(QueueSettings.GateTrigger + Suffix, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(StorageLayout.Poison(_queues.MoeGateQueue!), message, cancellationToken);

    /// <summary>Records an expert message that failed every delivery.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(ExpertPoison))]
    public Task ExpertPoison([QueueTrigger(QueueSettings.ExpertTrigger + Suffix, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(StorageLayout.Poison(_queues.MoeExpertQueue!), message, cancellationToken);

    /// <summary>Records an aggregate message that failed every delivery.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(AggregatePoison))]
    public Task AggregatePoison([QueueTrigger(QueueSettings.AggregateTrigger + Suffix, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(StorageLayout.Poison(_queues.MoeAggregateQueue!), message, cancellationToken);

    /// <summary>Records a batch job message that failed every delivery.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(JobsPoison))]
    public Task JobsPoison([QueueTrigger(QueueSettings.JobsTrigger + Suffix, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(StorageLayout.Poison(_queues.MoeJobsQueue!), message, cancellationToken);
}
