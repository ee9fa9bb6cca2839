using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;
using Microsoft.Azure.WebJobs;

namespace DeepSeek.Worker;

/// <summary>
/// The pipeline's queue triggers on the WebJobs SDK listener (the engine inside the Functions host):
/// the same stages the Functions app calls, one expert trigger per shard so one process can serve every shard;
/// settings switch the front triggers and each shard (<see cref="WorkerSettings"/>).
/// </summary>
public sealed class QueueFunctions(GateStage gate, ExpertStage expert, AggregateStage aggregate, JobStage jobs, PoisonStage poison, StorageLayout layout)
{
    [Disable(WorkerSettings.FrontDisabled)]
    public Task Gate([QueueTrigger("%MoeGateQueue%")] string message, CancellationToken ct) => gate.HandleAsync(message, ct);

    [Disable(WorkerSettings.FrontDisabled)]
    public Task Aggregate([QueueTrigger("%MoeAggregateQueue%")] string message, CancellationToken ct) => aggregate.HandleAsync(message, ct);

    [Disable(WorkerSettings.FrontDisabled)]
    public Task Jobs([QueueTrigger("%MoeJobsQueue%")] string message, CancellationToken ct) => jobs.HandleAsync(message, ct);

    [Disable(WorkerSettings.FrontDisabled)]
    public Task GatePoison([QueueTrigger("%MoeGateQueue%-poison")] string message, CancellationToken ct) =>
        poison.HandleAsync(StorageLayout.Poison(layout.GateQueue), message, ct);

    [Disable(WorkerSettings.FrontDisabled)]
    public Task AggregatePoison([QueueTrigger("%MoeAggregateQueue%-poison")] string message, CancellationToken ct) =>
        poison.HandleAsync(StorageLayout.Poison(layout.AggregateQueue), message, ct);

    [Disable(WorkerSettings.FrontDisabled)]
    public Task JobsPoison([QueueTrigger("%MoeJobsQueue%-poison")] string message, CancellationToken ct) =>
        poison.HandleAsync(StorageLayout.Poison(layout.JobsQueue), message, ct);

    [Disable("MoeExpertShard0Disabled")]
    public Task Expert0([QueueTrigger("%MoeExpertQueue0%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard1Disabled")]
    public Task Expert1([QueueTrigger("%MoeExpertQueue1%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard2Disabled")]
    public Task Expert2([QueueTrigger("%MoeExpertQueue2%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard3Disabled")]
    public Task Expert3([QueueTrigger("%MoeExpertQueue3%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard4Disabled")]
    public Task Expert4([QueueTrigger("%MoeExpertQueue4%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard5Disabled")]
    public Task Expert5([QueueTrigger("%MoeExpertQueue5%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard6Disabled")]
    public Task Expert6([QueueTrigger("%MoeExpertQueue6%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard7Disabled")]
    public Task Expert7([QueueTrigger("%MoeExpertQueue7%")] string message, CancellationToken ct) => expert.HandleAsync(message, ct);

    [Disable("MoeExpertShard0Disabled")]
    public Task Expert0Poison([QueueTrigger("%MoeExpertQueue0%-poison")] string message, CancellationToken ct) => ExpertPoison(0, message, ct);

    [Disable("MoeExpertShard1Disabled")]
    public Task Expert1Poison([QueueTrigger("%MoeExpertQueue1%-poison")] string message, CancellationToken ct) => ExpertPoison(1, message, ct);

    [Disable("MoeExpertShard2Disabled")]
    public Task Expert2Poison([QueueTrigger("%MoeExpertQueue2%-poison")] string message, CancellationToken ct) => ExpertPoison(2, message, ct);

    [Disable("MoeExpertShard3Disabled")]
    public Task Expert3Poison([QueueTrigger("%MoeExpertQueue3%-poison")] string message, CancellationToken ct) => ExpertPoison(3, message, ct);

    [Disable("MoeExpertShard4Disabled")]
    public Task Expert4Poison([QueueTrigger("%MoeExpertQueue4%-poison")] string message, CancellationToken ct) => ExpertPoison(4, message, ct);

    [Disable("MoeExpertShard5Disabled")]
    public Task Expert5Poison([QueueTrigger("%MoeExpertQueue5%-poison")] string message, CancellationToken ct) => ExpertPoison(5, message, ct);

    [Disable("MoeExpertShard6Disabled")]
    public Task Expert6Poison([QueueTrigger("%MoeExpertQueue6%-poison")] string message, CancellationToken ct) => ExpertPoison(6, message, ct);

    [Disable("MoeExpertShard7Disabled")]
    public Task Expert7Poison([QueueTrigger("%MoeExpertQueue7%-poison")] string message, CancellationToken ct) => ExpertPoison(7, message, ct);

    private Task ExpertPoison(int shard, string message, CancellationToken ct) =>
        poison.HandleAsync(StorageLayout.Poison(layout.ExpertQueue(shard)), message, ct);
}
