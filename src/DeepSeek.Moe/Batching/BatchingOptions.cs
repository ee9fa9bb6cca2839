namespace DeepSeek.Moe.Batching;

/// <summary>
/// Batching of concurrent calls (section <c>Moe:Batching</c>): calls for the same kernel (per-kernel batchers of the
/// gate and expert stages) or for the same engine's whole layer (the layer batcher of in-process callers) that
/// arrive while the batcher is busy, or within <see cref="MaxDelay"/> of it becoming idle, run as one call of at most
/// <see cref="MaxRows"/> rows.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Moe:Batching";

    /// <summary>Gets or sets a value indicating whether calls are coalesced. <value>Defaults to <see langword="true"/>.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the most rows one coalesced call runs (a larger single call runs alone). <value>Defaults to 256.</value></summary>
    public int MaxRows { get; set; } = 256;

    /// <summary>
    /// Gets or sets how long an idle batcher with a call waiting holds it for companions: from the call's arrival, or
    /// from the end of the previous run for calls that arrived during it, so the callers that run answered can rejoin.
    /// A batch goes earlier once it is full, or once the rows the previous coalesced batch answered are back on top of
    /// those already waiting.
    /// <value>Defaults to 1 ms; zero never waits.</value>
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Gets or sets how many coalesced calls of one engine's experts may run at once (<see cref="BatchWorkers"/>;
    /// the small gate runs outside this limit), and how many experts of a layer batch run at once; 0 means one per
    /// core. An expert waiting for its turn keeps collecting rows and the fullest goes first, so on a busy instance
    /// batches grow instead of many small calls competing for the cores. <value>Defaults to 0.</value>
    /// </summary>
    public int MaxConcurrentRuns { get; set; }

    /// <summary>Gets the number of concurrent runs <see cref="MaxConcurrentRuns"/> asks for on this machine.</summary>
    public int ConcurrentRuns => MaxConcurrentRuns > 0 ? MaxConcurrentRuns : Environment.ProcessorCount;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (MaxRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRows), MaxRows, $"{SectionName}:{nameof(MaxRows)} must be at least 1.");
        }

        if (MaxConcurrentRuns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRuns), MaxConcurrentRuns, $"{SectionName}:{nameof(MaxConcurrentRuns)} must be 0 (one per core) or more.");
        }

        if (MaxDelay < TimeSpan.Zero || MaxDelay > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, $"{SectionName}:{nameof(MaxDelay)} must be between 0 and 1 s.");
        }
    }
}
