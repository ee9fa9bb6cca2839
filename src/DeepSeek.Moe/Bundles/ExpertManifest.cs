namespace DeepSeek.Moe.Bundles;

/// <summary>One expert of a bundle: an ONNX model mapping <c>x [rows, d_model]</c> to <c>y [rows, d_out]</c>.</summary>
public sealed record ExpertManifest
{
    /// <summary>Gets the file name relative to the bundle folder.</summary>
    public required string File { get; init; }

    /// <summary>Gets the lowercase hex SHA-256 of the file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Gets the architecture of the expert; see <see cref="ExpertKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the hidden (feed-forward) width of the expert.</summary>
    public required int DHidden { get; init; }

    /// <summary>Gets the queue shard that serves this expert. <value>Defaults to 0.</value></summary>
    public int Shard { get; init; }
}
