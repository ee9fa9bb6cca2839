namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// One line of a job's JSONL input. Values are read as doubles so that a number outside the float32
/// range (1e39) is reported as a non-finite value at its position, not as unparseable JSON.
/// </summary>
internal sealed record JobLine
{
    public double[]?[]? Inputs { get; init; }

    public string? Model { get; init; }

    public JobLineOptions? Options { get; init; }

    public Dictionary<string, string?>? Metadata { get; init; }
}
