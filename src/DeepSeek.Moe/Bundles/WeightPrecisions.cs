namespace DeepSeek.Moe.Bundles;

/// <summary>The weight precisions a bundle may record in its manifest's <c>precision</c> field.</summary>
public static class WeightPrecisions
{
    /// <summary>32-bit float weights: what <c>model init</c> and <c>model import</c> write, and what a manifest without the field means.</summary>
    public const string Fp32 = "fp32";

    /// <summary>16-bit float weights, cast to float inside the graph.</summary>
    public const string Fp16 = "fp16";

    /// <summary>8-bit block-quantized weights.</summary>
    public const string Int8 = "int8";

    /// <summary>4-bit block-quantized weights.</summary>
    public const string Int4 = "int4";

    /// <summary>Gets every known precision.</summary>
    public static IReadOnlyList<string> All { get; } = [Fp32, Fp16, Int8, Int4];

    /// <summary>Gets the bits of a block-quantized precision.</summary>
    /// <param name="precision">One of <see cref="All"/>.</param>
    /// <returns>8 or 4, or <see langword="null"/> for the float precisions.</returns>
    public static int? BitsOf(string precision) => precision switch
    {
        Int8 => 8,
        Int4 => 4,
        _ => null,
    };
}
