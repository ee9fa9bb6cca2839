namespace DeepSeek.Cli.Run;

/// <summary>The input file of <c>deepseek run</c>: the same shape as the HTTP request body.</summary>
internal sealed record RunInput
{
    public string? Model { get; init; }

    public float[]?[]? Inputs { get; init; }

    public RunOptions? Options { get; init; }
}
