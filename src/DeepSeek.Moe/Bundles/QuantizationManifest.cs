namespace DeepSeek.Moe.Bundles;

/// <summary>How the weights of a bundle whose precision is not <c>fp32</c> were converted (the manifest's <c>quantization</c> field).</summary>
public sealed record QuantizationManifest
{
    /// <summary>Gets the weights per quantization block along the input (K) dimension; only for <c>int8</c> and <c>int4</c>.</summary>
    public int? BlockSize { get; init; }

    /// <summary>Gets whether the blocks are symmetric (no stored zero points). <value>Defaults to false.</value></summary>
    public bool Symmetric { get; init; }

    /// <summary>Gets whether the gate's weight was converted too; when false the gate is the source bundle's file. <value>Defaults to false.</value></summary>
    public bool Gate { get; init; }

    /// <summary>Gets the id and version of the bundle the weights were converted from.</summary>
    public string? From { get; init; }
}
