namespace DeepSeek.Moe.Quantization;

/// <summary>
/// Weight-only block quantization along K, as ONNX Runtime's <c>com.microsoft.MatMulNBits</c> defines it. Asymmetric
/// blocks span <c>[min(0, w), max(0, w)]</c> with a stored zero point; symmetric blocks span <c>[-max|w|, max|w|]</c>
/// around the fixed zero point <c>2^(bits-1)</c>. Either way every weight comes back within half a scale step.
/// </summary>
public static class BlockQuantizer
{
    /// <summary>The smallest block MatMulNBits accepts.</summary>
    public const int MinBlockSize = 16;

    /// <summary>The largest block this quantizer writes.</summary>
    public const int MaxBlockSize = 256;

    /// <summary>The rule <see cref="IsValidBlockSize"/> checks, for messages.</summary>
    public const string BlockSizeRule = "a block size must be a power of two from 16 to 256";

    /// <summary>Tells whether a block size is one MatMulNBits accepts and this quantizer writes.</summary>
    /// <param name="blockSize">The block size.</param>
    /// <returns>Whether it is a power of two from <see cref="MinBlockSize"/> to <see cref="MaxBlockSize"/>.</returns>
    public static bool IsValidBlockSize(int blockSize) =>
        blockSize is >= MinBlockSize and <= MaxBlockSize && (blockSize & (blockSize - 1)) == 0;

    /// <summary>Quantizes a row-major weight <c>W [k, n]</c>.</summary>
    /// <param name="weight">The weights, row-major <c>[k, n]</c>, all finite.</param>
    /// <param name="k">The rows (input width).</param>
    /// <param name="n">The columns (output width).</param>
    /// <param name="bits">4 or 8.</param>
    /// <param name="blockSize">See <see cref="IsValidBlockSize"/>.</param>
    /// <param name="symmetric">Whether to store no zero points.</param>
    /// <returns>The quantized matrix.</returns>
    /// <exception cref="ArgumentException">The bits, block size or shape are out of range, or a weight is not finite.</exception>
    public static QuantizedMatrix Quantize(ReadOnlySpan<float> weight, int k, int n, int bits, int blockSize, bool symmetric)
    {
        RequireBits(bits);
        if (!IsValidBlockSize(blockSize))
        {
            throw new ArgumentException($"Block size {blockSize} is not allowed: {BlockSizeRule}.", nameof(blockSize));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (weight.Length != (long)k * n)
        {
            throw new ArgumentException($"The weight holds {weight.Length} values, {k} x {n} expected.", nameof(weight));
        }

        var shape = new QuantizedMatrix(k, n, bits, blockSize, [], [], null);
        int blocks = shape.BlocksPerColumn, blob = shape.BlobSize, zpBytes = shape.ZeroPointBytesPerColumn;
        var data = new byte[checked(n * blocks * blob)];
        var scales = new float[n * blocks];
        var zeroPoints = symmetric ? null : new byte[n * zpBytes];
        int qmax = (1 << bits) - 1, perByte = 8 / bits;
        for (int col = 0; col < n; col++)
        {
            for (int b = 0; b < blocks; b++)
            {
                int start = b * blockSize, end = Math.Min(k, start + blockSize);
                var (scale, zeroPoint) = BlockRange(weight, start, end, n, col, bits, symmetric);
                scales[(col * blocks) + b] = scale;
                if (zeroPoints is not null)
                {
                    zeroPoints[(col * zpBytes) + (b / perByte)] |= (byte)(zeroPoint << (b % perByte * bits));
                }

                var dst = data.AsSpan(((col * blocks) + b) * blob, blob);
                for (int j = 0; j < blockSize; j++)
                {
                    int q = zeroPoint;
                    if (start + j < end && scale != 0f)
                    {
                        float w = weight[((start + j) * n) + col];
                        q = Math.Clamp((int)MathF.Round(w / scale, MidpointRounding.ToEven) + zeroPoint, 0, qmax);
                    }

                    dst[j / perByte] |= (byte)(q << (j % perByte * bits));
                }
            }
        }

        return new QuantizedMatrix(k, n, bits, blockSize, data, scales, zeroPoints);
    }

    /// <summary>Dequantizes back to a row-major <c>W [K, N]</c>, <c>(q - zero_point) * scale</c> in float as ONNX Runtime computes it.</summary>
    /// <param name="matrix">The quantized matrix.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="ArgumentException">The arrays do not match the shape.</exception>
    public static float[] Dequantize(QuantizedMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        RequireBits(matrix.Bits);
        int k = matrix.K, n = matrix.N, blocks = matrix.BlocksPerColumn;
        if (matrix.Data.Length != (long)n * blocks * matrix.BlobSize || matrix.Scales.Length != (long)n * blocks
            || (matrix.ZeroPoints is { } zp && zp.Length != (long)n * matrix.ZeroPointBytesPerColumn))
        {
            throw new ArgumentException(
                $"A {k} x {n} matrix of {matrix.Bits}-bit blocks of {matrix.BlockSize} needs {n * blocks * matrix.BlobSize} code bytes, {n * blocks} scales " +
                $"and {n * matrix.ZeroPointBytesPerColumn} zero-point bytes; found {matrix.Data.Length}, {matrix.Scales.Length} and {matrix.ZeroPoints?.Length ?? 0}.",
                nameof(matrix));
        }

        var w = new float[k * n];
        for (int col = 0; col < n; col++)
        {
            for (int row = 0; row < k; row++)
            {
                int b = row / matrix.BlockSize;
                w[(row * n) + col] = (matrix.Code(row, col) - matrix.ZeroPoint(col, b)) * matrix.Scale(col, b);
            }
        }

        return w;
    }

    private static (float Scale, int ZeroPoint) BlockRange(ReadOnlySpan<float> weight, int start, int end, int n, int col, int bits, bool symmetric)
    {
        float lo = 0f, hi = 0f;
        for (int row = start; row < end; row++)
        {
            float w = weight[(row * n) + col];
            if (!float.IsFinite(w))
            {
                throw new ArgumentException($"Weight [{row}, {col}] is {w}; only finite weights can be quantized.", nameof(weight));
            }

            lo = MathF.Min(lo, w);
            hi = MathF.Max(hi, w);
        }

        if (symmetric)
        {
            // Codes 1 .. 2^bits - 1 around 2^(bits-1): the range is symmetric, so the most negative code stays unused.
            int half = 1 << (bits - 1);
            return ((float)(Math.Max(-lo, hi) / (half - 1)), half);
        }

        int qmax = (1 << bits) - 1;
        float scale = (float)(((double)hi - lo) / qmax);
        // 0 lies in [lo, hi], so the zero point lands in [0, qmax] and 0 itself is exact.
        int zeroPoint = scale == 0f ? 0 : Math.Clamp((int)MathF.Round(-lo / scale, MidpointRounding.ToEven), 0, qmax);
        return (scale, zeroPoint);
    }

    private static void RequireBits(int bits)
    {
        if (bits is not (4 or 8))
        {
            throw new ArgumentException($"{bits}-bit quantization is not supported; choose 8 or 4 bits.", nameof(bits));
        }
    }
}
