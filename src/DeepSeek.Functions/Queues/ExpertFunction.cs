using DeepSeek.Functions.Hosting;
using DeepSeek.Pipeline.Stages;
using Microsoft.Azure.Functions.Worker;

namespace DeepSeek.Functions.Queues;

/// <summary>The expert stage's queue trigger.</summary>
/// <param name="stage">The stage.</param>
public sealed class ExpertFunction(ExpertStage stage)
{
    /// <summary>Runs one expert on its routed rows (this deployment's shard only).</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(Expert))]
    public Task Expert([QueueTrigger(QueueSettings.ExpertTrigger, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(message, cancellationToken);
}
