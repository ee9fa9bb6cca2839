using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Tests.Quantization;

public sealed class BlockQuantizerTests
{
    [Theory]
    [InlineData(4, 32, false)]
    [InlineData(4, 32, true)]
    [InlineData(4, 16, false)]
    [InlineData(8, 64, false)]
    [InlineData(8, 128, true)]
    [InlineData(4, 256, false)]
    public void Quantize_RoundTrip_EveryWeightWithinHalfAScaleOfItsBlock(int bits, int blockSize, bool symmetric)
    {
        // K = 100 leaves a partial last block; a column of large values and one offset from zero test the range.
        const int k = 100, n = 7;
        var w = TestData.Gaussian(k * n, seed: bits + blockSize);
        for (int row = 0; row < k; row++)
        {
            w[(row * n) + 3] *= 50;
            w[(row * n) + 5] = 2 + Math.Abs(w[(row * n) + 5]);
        }

        var q = BlockQuantizer.Quantize(w, k, n, bits, blockSize, symmetric);
        var back = BlockQuantizer.Dequantize(q);

        Assert.Equal((k + blockSize - 1) / blockSize, q.BlocksPerColumn);
        Assert.Equal(symmetric, q.ZeroPoints is null);
        for (int row = 0; row < k; row++)
        {
            for (int col = 0; col < n; col++)
            {
                float scale = q.Scale(col, row / blockSize);
                double error = Math.Abs(back[(row * n) + col] - w[(row * n) + col]);
                Assert.True(error <= scale * 0.5 * (1 + 1e-4), $"[{row}, {col}]: |error| {error} > scale/2 = {scale / 2}");
            }
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Quantize_RoundTrip_ErrorShrinksWithBits(int bits)
    {
        var w = TestData.Gaussian(64 * 32, seed: 1);

        var back = BlockQuantizer.Dequantize(BlockQuantizer.Quantize(w, 64, 32, bits, 32, symmetric: false));

        // Gaussian blocks of 32 span about 4.5 sigma: a step of 4.5 / (2^bits - 1), the error at most half of it.
        Assert.InRange(TestData.MaxAbsDiff(back, w), 1e-6, 4.6 / ((1 << bits) - 1) / 2 * 1.3);
    }

    [Fact]
    public void Quantize_FourBits_PacksLowNibbleFirstAlongK()
    {
        // One column, one block of 16: weights 0..15 give scale 1, zero point 0 and codes equal to the weights.
        var w = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();

        var q = BlockQuantizer.Quantize(w, 16, 1, 4, 16, symmetric: false);

        Assert.Equal(1f, q.Scales[0]);
        Assert.Equal([0], q.ZeroPoints!);
        Assert.Equal(Enumerable.Range(0, 8).Select(j => (byte)((2 * j) | ((2 * j + 1) << 4))), q.Data);
        Assert.Equal(w, BlockQuantizer.Dequantize(q));
    }

    [Fact]
    public void Quantize_ZeroPoints_PackedTwoPerByteAlongBlocks()
    {
        // Three blocks of 16 in one column, each from -b-1 to 14-b: zero points differ per block; the last nibble pads.
        const int k = 48;
        var w = new float[k];
        for (int i = 0; i < k; i++)
        {
            w[i] = (i % 16) - (i / 16) - 1;
        }

        var q = BlockQuantizer.Quantize(w, k, 1, 4, 16, symmetric: false);

        Assert.Equal(2, q.ZeroPointBytesPerColumn);
        Assert.Equal([1, 2, 3], Enumerable.Range(0, 3).Select(b => q.ZeroPoint(0, b)));
        Assert.Equal(new byte[] { 0x21, 0x03 }, q.ZeroPoints!);
        Assert.Equal(w, BlockQuantizer.Dequantize(q));
    }

    [Fact]
    public void Quantize_AllZeroBlock_DequantizesToZero()
    {
        var back = BlockQuantizer.Dequantize(BlockQuantizer.Quantize(new float[32 * 2], 32, 2, 4, 32, symmetric: true));

        Assert.All(back, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(3, 32, "3-bit quantization is not supported; choose 8 or 4 bits")]
    [InlineData(2, 32, "choose 8 or 4 bits")]
    [InlineData(4, 24, "Block size 24 is not allowed: a block size must be a power of two from 16 to 256")]
    [InlineData(4, 8, "Block size 8")]
    [InlineData(8, 512, "Block size 512")]
    public void Quantize_BadBitsOrBlockSize_ThrowsClearMessage(int bits, int blockSize, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(new float[64], 64, 1, bits, blockSize, false));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantize_NonFiniteWeight_NamesIt()
    {
        var w = new float[32 * 2];
        w[(5 * 2) + 1] = float.NaN;

        var ex = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(w, 32, 2, 4, 32, false));

        Assert.Contains("Weight [5, 1] is NaN", ex.Message, StringComparison.Ordinal);
    }
}
