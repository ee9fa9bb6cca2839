namespace DeepSeek.Moe.Bundles;

/// <summary>The gate file of a bundle: an ONNX model mapping <c>x [rows, d_model]</c> to <c>logits [rows, experts]</c>.</summary>
public sealed record GateManifest
{
    /// <summary>Gets the file name relative to the bundle folder.</summary>
    public required string File { get; init; }

    /// <summary>Gets the lowercase hex SHA-256 of the file.</summary>
    public required string Sha256 { get; init; }
}
