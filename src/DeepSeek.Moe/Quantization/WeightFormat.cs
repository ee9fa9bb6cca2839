using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Quantization;

/// <summary>What the matrices of a graph are converted to.</summary>
/// <param name="Precision">The target precision: <c>fp16</c>, <c>int8</c> or <c>int4</c> (<see cref="WeightPrecisions"/>).</param>
/// <param name="BlockSize">The block size of <c>int8</c> and <c>int4</c>; ignored for <c>fp16</c>.</param>
/// <param name="Symmetric">Whether <c>int8</c> and <c>int4</c> blocks store no zero points.</param>
internal sealed record WeightFormat(string Precision, int BlockSize, bool Symmetric)
{
    /// <summary>Gets the bits per weight of the integer precisions, or <see langword="null"/> for fp16.</summary>
    public int? Bits => WeightPrecisions.BitsOf(Precision);
}
