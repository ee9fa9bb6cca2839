using DeepSeek.Functions.Hosting;
using DeepSeek.Pipeline.Stages;
using Microsoft.Azure.Functions.Worker;

namespace DeepSeek.Functions.Queues;

/// <summary>The aggregate stage's queue trigger.</summary>
/// <param name="stage">The stage.</param>
public sealed class AggregateFunction(AggregateStage stage)
{
    /// <summary>Combines the expert partials once all are present, then writes the result and audit record.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(Aggregate))]
    public Task Aggregate([QueueTrigger(QueueSettings.AggregateTrigger, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(message, cancellationToken);
}
