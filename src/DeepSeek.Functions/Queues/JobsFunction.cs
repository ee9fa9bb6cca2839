using DeepSeek.Functions.Hosting;
using DeepSeek.Pipeline.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace DeepSeek.Functions.Queues;

/// <summary>The batch job queue's trigger.</summary>
/// <param name="stage">The job stage.</param>
public sealed class JobsFunction(JobStage stage)
{
    /// <summary>Splits a submitted job into chunks and submits each as a gate request.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(Jobs))]
    public Task Jobs([QueueTrigger(QueueSettings.JobsTrigger, Connection = QueueSettings.Connection)] string message, CancellationToken cancellationToken) =>
        stage.HandleAsync(message, cancellationToken);
}
