namespace DeepSeek.Pipeline.Http;

/// <summary>The body of <c>POST /api/v1/infer</c>.</summary>
public sealed record InferRequestBody
{
    /// <summary>Gets the model id.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the input rows.</summary>
    public float[]?[]? Inputs { get; init; }

    /// <summary>Gets the options.</summary>
    public InferOptions? Options { get; init; }

    /// <summary>Gets the caller's metadata (string to string); redacted before anything is stored or logged.</summary>
    public Dictionary<string, string?>? Metadata { get; init; }
}
