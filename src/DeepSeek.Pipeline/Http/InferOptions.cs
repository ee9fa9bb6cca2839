namespace DeepSeek.Pipeline.Http;

/// <summary>Per-request options.</summary>
public sealed record InferOptions
{
    /// <summary>Gets the routing noise seed; drawn and recorded when absent.</summary>
    public ulong? Seed { get; init; }
}
