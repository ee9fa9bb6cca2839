using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Quantization;

/// <summary>How <see cref="BundleQuantizer"/> converts a bundle's weights.</summary>
public sealed record QuantizationOptions
{
    /// <summary>The block size used when none is given: 32 weights per scale.</summary>
    public const int DefaultBlockSize = 32;

    /// <summary>Gets the target precision: <c>int4</c>, <c>int8</c> or <c>fp16</c> (<see cref="WeightPrecisions"/>).</summary>
    public required string Precision { get; init; }

    /// <summary>Gets the weights per quantization block along K for <c>int8</c> and <c>int4</c>. <value>Defaults to 32.</value></summary>
    public int BlockSize { get; init; } = DefaultBlockSize;

    /// <summary>Gets whether <c>int8</c> and <c>int4</c> blocks are symmetric (no zero points stored). <value>Defaults to false (asymmetric).</value></summary>
    public bool Symmetric { get; init; }

    /// <summary>Gets whether the gate's weight is converted too; routing then reads converted logits. <value>Defaults to false.</value></summary>
    public bool Gate { get; init; }

    /// <summary>Checks the options, reporting every problem.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message lists every problem.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        bool quantized = WeightPrecisions.BitsOf(Precision ?? string.Empty) is not null;
        if (!quantized && Precision != WeightPrecisions.Fp16)
        {
            problems.Add($"precision '{Precision}' is not one of {WeightPrecisions.Int4}, {WeightPrecisions.Int8}, {WeightPrecisions.Fp16}");
        }

        if (quantized && !BlockQuantizer.IsValidBlockSize(BlockSize))
        {
            problems.Add($"block size {BlockSize} is not allowed: {BlockQuantizer.BlockSizeRule}");
        }

        if (Symmetric && !quantized)
        {
            problems.Add($"symmetric blocks apply to {WeightPrecisions.Int8} and {WeightPrecisions.Int4} only");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid quantization options: {string.Join("; ", problems)}.");
        }
    }
}
