namespace DeepSeek.Moe.Batching;

/// <summary>
/// Micro-batching of concurrent calls for the same kernel (section <c>Moe:Batching</c>): calls that arrive while
/// a kernel is busy, or within <see cref="MaxDelay"/> of the first call to an idle kernel, run as one call of at
/// most <see cref="MaxRows"/> rows.
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
    /// Gets or sets how long the first call to an idle kernel waits for companions. Calls that arrive while
    /// the kernel runs wait for that run only. <value>Defaults to 1 ms; zero never waits.</value>
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Gets or sets how many coalesced calls of one engine's kernels may run at once; 0 means one per core. A kernel
    /// waiting for its turn keeps collecting rows, so on a busy instance batches grow instead of many small calls
    /// competing for the cores. <value>Defaults to 0.</value>
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
