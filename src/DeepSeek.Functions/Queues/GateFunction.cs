using DeepSeek.Functions.Hosting;
using DeepSeek.Pipeline.Stages;
using Microsoft.Azure.Functions.Worker;

namespace DeepSeek.Functions.Queues;

/// <summary>The gate stage's queue trigger.</summary>
/// <param name="stage">The stage.</param>
public sealed class GateFunction(GateStage stage)
{
    /// <summary>Routes a request and fans it out to the expert shard queues.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(Gate))]
    public Task Gate([QueueTrigger(QueueSettings.GateTrigger, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(message, cancellationToken);
}
