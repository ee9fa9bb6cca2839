namespace DeepSeek.Pipeline.Jobs;

/// <summary>The options of one job line.</summary>
internal sealed record JobLineOptions
{
    /// <summary>Gets the routing seed; lines naming different seeds never share a chunk.</summary>
    public ulong? Seed { get; init; }
}
