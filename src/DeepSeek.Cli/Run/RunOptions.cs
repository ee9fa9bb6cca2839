namespace DeepSeek.Cli.Run;

/// <summary>Per-request options (as in the HTTP body); the command line's --seed wins.</summary>
internal sealed record RunOptions
{
    public ulong? Seed { get; init; }
}
