namespace DeepSeek.Moe.Quantization;

/// <summary>
/// A weight matrix <c>W [K, N]</c> (used as <c>x @ W</c>) quantized block-wise along K, laid out as ONNX Runtime's
/// <c>com.microsoft.MatMulNBits</c> takes it: column n's block b holds <c>W[b*block .. (b+1)*block, n]</c>.
/// A weight dequantizes to <c>(q - zero_point) * scale</c>.
/// </summary>
/// <param name="K">The input (reduction) width: rows of <c>W</c>.</param>
/// <param name="N">The output width: columns of <c>W</c>.</param>
/// <param name="Bits">Bits per weight: 4 or 8.</param>
/// <param name="BlockSize">Weights per block along K.</param>
/// <param name="Data">The codes, <c>[N, blocks, BlockSize * Bits / 8]</c> bytes, packed low bits first; a last partial block is padded with its zero point.</param>
/// <param name="Scales">One scale per block, <c>[N, blocks]</c>.</param>
/// <param name="ZeroPoints">Packed zero points, <c>[N, ceil(blocks * Bits / 8)]</c> bytes, or <see langword="null"/> for symmetric blocks (zero point <c>2^(Bits-1)</c>).</param>
public sealed record QuantizedMatrix(int K, int N, int Bits, int BlockSize, byte[] Data, float[] Scales, byte[]? ZeroPoints)
{
    /// <summary>Gets the blocks per column, <c>ceil(K / BlockSize)</c>.</summary>
    public int BlocksPerColumn => (K + BlockSize - 1) / BlockSize;

    /// <summary>Gets the bytes of one block's codes.</summary>
    public int BlobSize => BlockSize * Bits / 8;

    /// <summary>Gets the bytes of one column's packed zero points.</summary>
    public int ZeroPointBytesPerColumn => ((BlocksPerColumn * Bits) + 7) / 8;

    /// <summary>Gets the zero point of symmetric blocks, <c>2^(Bits-1)</c>.</summary>
    public int SymmetricZeroPoint => 1 << (Bits - 1);

    /// <summary>Gets the code of one weight.</summary>
    /// <param name="k">The row.</param>
    /// <param name="n">The column.</param>
    /// <returns>The unsigned code.</returns>
    public int Code(int k, int n)
    {
        int perByte = 8 / Bits, block = k / BlockSize, j = k % BlockSize;
        int b = Data[(((n * BlocksPerColumn) + block) * BlobSize) + (j / perByte)];
        return (b >> (j % perByte * Bits)) & ((1 << Bits) - 1);
    }

    /// <summary>Gets the zero point of one block.</summary>
    /// <param name="n">The column.</param>
    /// <param name="block">The block along K.</param>
    /// <returns>The zero point.</returns>
    public int ZeroPoint(int n, int block)
    {
        if (ZeroPoints is null)
        {
            return SymmetricZeroPoint;
        }

        int perByte = 8 / Bits;
        int b = ZeroPoints[(n * ZeroPointBytesPerColumn) + (block / perByte)];
        return (b >> (block % perByte * Bits)) & ((1 << Bits) - 1);
    }

    /// <summary>Gets the scale of one block.</summary>
    /// <param name="n">The column.</param>
    /// <param name="block">The block along K.</param>
    /// <returns>The scale.</returns>
    public float Scale(int n, int block) => Scales[(n * BlocksPerColumn) + block];
}
