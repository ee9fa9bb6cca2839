namespace DeepSeek.Worker;

/// <summary>
/// What one worker process serves (section <c>Worker</c>). By default a worker runs every stage and every expert
/// shard its models use, as <c>deepseek local up</c> needs; a Kubernetes deployment runs one front worker and one
/// worker per expert shard instead (infra/kubernetes).
/// </summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Worker";

    /// <summary>
    /// Gets or sets whether this worker runs the gate, aggregate and batch-job triggers (and their poison queues)
    /// and re-drives unfinished jobs at start. <value>Defaults to true.</value>
    /// </summary>
    public bool Front { get; set; } = true;

    /// <summary>
    /// Gets the expert shards this worker serves (<c>Worker:Shards:0</c>, ...); empty serves every shard the models
    /// use. <value>Defaults to empty.</value>
    /// </summary>
    public IList<int> Shards { get; } = [];

    /// <summary>
    /// Gets or sets whether the worker creates its queues and containers at start. A deployment whose
    /// infrastructure creates them (bicep/main.bicep) turns this off, so its identity needs no right to create
    /// them. <value>Defaults to true.</value>
    /// </summary>
    public bool CreateStorage { get; set; } = true;
}
