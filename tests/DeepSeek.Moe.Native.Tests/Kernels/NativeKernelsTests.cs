using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Native.Kernels;

namespace DeepSeek.Moe.Native.Tests.Kernels;

public sealed class NativeKernelsTests
{
    // float32 kernels against double references: |native - reference| / max(1, |reference|) stays below these.
    private const double ElementwiseTolerance = 2e-6;
    private const double LayerNormTolerance = 1e-5;

    // Sgemm: |native - reference| <= this times the sum of |a_ik * b_kj| of the element (the scale of float rounding).
    private const double GemmRelativeTolerance = 1e-6;

    private const float Eps = 1e-5f;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 255)]
    [InlineData(17, 1024)]
    [InlineData(2, 4099)]
    public void LayerNormGelu_OddSizes_EqualsReference(int rows, int cols)
    {
        var (x, gamma, beta) = LayerNormInputs(rows, cols, seed: rows * 31 + cols);
        var y = new float[rows * cols];

        NativeKernels.LayerNormGelu(x, gamma, beta, y, rows, cols, Eps);

        Assert.InRange(TestData.MaxScaledError(y, ManagedReference.LayerNormGelu(x, gamma, beta, rows, cols, Eps)), 0, LayerNormTolerance);
    }

    [Fact]
    public void LayerNormGelu_InPlace_EqualsOutOfPlace()
    {
        var (x, gamma, beta) = LayerNormInputs(4, 333, seed: 3);
        var y = new float[x.Length];
        NativeKernels.LayerNormGelu(x, gamma, beta, y, 4, 333, Eps);

        NativeKernels.LayerNormGelu(x, gamma, beta, x, 4, 333, Eps);

        Assert.Equal(y, x);
    }

    [Fact]
    public void LayerNormGelu_EqualsLayerNormThenGelu()
    {
        var (x, gamma, beta) = LayerNormInputs(9, 517, seed: 4);
        var fused = new float[x.Length];
        var unfused = new float[x.Length];

        NativeKernels.LayerNormGelu(x, gamma, beta, fused, 9, 517, Eps);
        NativeKernels.LayerNorm(x, gamma, beta, unfused, 9, 517, Eps);
        NativeKernels.Gelu(unfused, unfused);

        Assert.InRange(TestData.MaxAbsDiff(fused, unfused), 0, LayerNormTolerance);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(6, 129)]
    [InlineData(64, 4096)]
    public void LayerNorm_EqualsReference(int rows, int cols)
    {
        var (x, gamma, beta) = LayerNormInputs(rows, cols, seed: cols);
        var y = new float[rows * cols];

        NativeKernels.LayerNorm(x, gamma, beta, y, rows, cols, Eps);

        Assert.InRange(TestData.MaxScaledError(y, ManagedReference.LayerNorm(x, gamma, beta, rows, cols, Eps)), 0, LayerNormTolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1001)]
    public void Gelu_EqualsErfReference(int count)
    {
        var x = TestData.Gaussian(count, seed: count, sigma: 3);
        x[0] = count == 1 ? x[0] : -9f;
        var y = new float[count];

        NativeKernels.Gelu(x, y);

        Assert.InRange(TestData.MaxScaledError(y, x.Select(v => ReferenceMoe.Gelu(v)).ToArray()), 0, ElementwiseTolerance);
    }

    [Fact]
    public void Gelu_GridOverTheWholeRange_EqualsErfReference()
    {
        var x = Enumerable.Range(-2000, 4001).Select(i => i / 200f).ToArray();
        var y = new float[x.Length];

        NativeKernels.Gelu(x, y);

        Assert.InRange(TestData.MaxScaledError(y, x.Select(v => ReferenceMoe.Gelu(v)).ToArray()), 0, ElementwiseTolerance);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(33, 17, 65)]
    [InlineData(64, 1024, 256)]
    [InlineData(5, 256, 1024)]
    public void Sgemm_EqualsNaiveGemm(int m, int n, int k)
    {
        var a = TestData.Gaussian(m * k, seed: m);
        var b = TestData.Gaussian(k * n, seed: n);
        var c = new float[m * n];

        NativeKernels.Sgemm(m, n, k, a, b, c);

        AssertGemm(ManagedReference.Gemm(m, n, k, a, b), c, accumulated: null);
    }

    [Fact]
    public void Sgemm_Accumulate_AddsToC()
    {
        const int m = 7, n = 9, k = 11;
        var a = TestData.Gaussian(m * k, seed: 1);
        var b = TestData.Gaussian(k * n, seed: 2);
        var c = TestData.Gaussian(m * n, seed: 3);
        var before = c.ToArray();

        NativeKernels.Sgemm(m, n, k, a, b, c, accumulate: true);

        AssertGemm(ManagedReference.Gemm(m, n, k, a, b), c, before);
    }

    [Fact]
    public void TopKGate_EqualsRouterTopKWithSoftmaxOverTheChosen()
    {
        const int rows = 50, experts = 16, k = 3;
        const float temperature = 0.7f;
        var logits = TestData.Gaussian(rows * experts, seed: 11);
        var idx = new int[rows * k];
        var w = new float[rows * k];

        NativeKernels.TopKGate(logits, rows, experts, k, temperature, idx, w);

        var expected = RouterReference.Route(logits, rows, experts, k, temperature);
        Assert.Equal(expected.Indices, idx);
        Assert.InRange(TestData.MaxAbsDiff(expected.Weights, w), 0, ElementwiseTolerance);
    }

    [Fact]
    public void TopKGate_KEqualsExperts_ReturnsEveryExpertInDescendingOrder()
    {
        const int experts = 5;
        float[] logits = [0.5f, 2f, -1f, 2f, 0f];
        var idx = new int[experts];
        var w = new float[experts];

        NativeKernels.TopKGate(logits, 1, experts, experts, 1f, idx, w);

        Assert.Equal([1, 3, 0, 4, 2], idx);
        Assert.Equal(1.0, w.Sum(v => (double)v), 5);
        var expected = RouterReference.Route(logits, 1, experts, experts, 1f);
        Assert.InRange(TestData.MaxAbsDiff(expected.Weights, w), 0, ElementwiseTolerance);
    }

    [Fact]
    public void TopKGate_Ties_GoToTheLowerIndex()
    {
        float[] logits = [1f, 3f, 3f, 3f];
        var idx = new int[2];
        var w = new float[2];

        NativeKernels.TopKGate(logits, 1, 4, 2, 1f, idx, w);

        Assert.Equal([1, 2], idx);
        Assert.Equal(0.5f, w[0], 6);
    }

    [Fact]
    public void Kernels_ZeroRows_DoNothing()
    {
        var untouched = new float[] { 42f };

        NativeKernels.LayerNormGelu([], [1f, 1f], [0f, 0f], untouched, 0, 2, Eps);
        NativeKernels.LayerNorm([], [1f, 1f], [0f, 0f], untouched, 0, 2, Eps);
        NativeKernels.Gelu([], untouched);
        NativeKernels.TopKGate([], 0, 4, 2, 1f, [], []);
        NativeKernels.Sgemm(0, 3, 2, [], [1f, 2f, 3f, 4f, 5f, 6f], untouched);

        Assert.Equal(42f, untouched[0]);
    }

    [Fact]
    public void Kernels_NaNInput_PropagatesToItsRowOnly()
    {
        const int rows = 3, cols = 8;
        var (x, gamma, beta) = LayerNormInputs(rows, cols, seed: 5);
        x[cols + 2] = float.NaN;
        var y = new float[x.Length];
        var g = new float[x.Length];
        var c = new float[rows * 2];

        NativeKernels.LayerNormGelu(x, gamma, beta, y, rows, cols, Eps);
        NativeKernels.Gelu(x, g);
        NativeKernels.Sgemm(rows, 2, cols, x, TestData.Gaussian(cols * 2, seed: 6), c);

        Assert.All(y.AsSpan(cols, cols).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.DoesNotContain(y.Take(cols).Concat(y.Skip(2 * cols)), float.IsNaN);
        Assert.Equal([cols + 2], Enumerable.Range(0, g.Length).Where(i => float.IsNaN(g[i])));
        Assert.Equal([2, 3], Enumerable.Range(0, c.Length).Where(i => float.IsNaN(c[i])));
    }

    [Fact]
    public void TopKGate_NaNLogits_DoesNotCrashAndStaysInRange()
    {
        const int experts = 6, k = 2;
        float[] logits = [0f, float.NaN, 1f, 2f, float.NaN, -1f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN];
        var idx = new int[2 * k];
        var w = new float[2 * k];

        NativeKernels.TopKGate(logits, 2, experts, k, 1f, idx, w);

        Assert.All(idx, i => Assert.InRange(i, 0, experts - 1));
        Assert.NotEqual(idx[0], idx[1]);
        Assert.NotEqual(idx[2], idx[3]);
    }

    private static void AssertGemm((double[] C, double[] AbsSum) expected, float[] actual, float[]? accumulated)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            double want = expected.C[i] + (accumulated?[i] ?? 0);
            double bound = GemmRelativeTolerance * (expected.AbsSum[i] + Math.Abs(accumulated?[i] ?? 0)) + 1e-7;
            Assert.True(Math.Abs(actual[i] - want) <= bound, $"C[{i}] = {actual[i]}, expected {want} within {bound}");
        }
    }

    internal static (float[] X, float[] Gamma, float[] Beta) LayerNormInputs(int rows, int cols, int seed) =>
        (TestData.Gaussian(rows * cols, seed, sigma: 2, mean: 0.5),
         TestData.Gaussian(cols, seed + 1, sigma: 0.1, mean: 1),
         TestData.Gaussian(cols, seed + 2, sigma: 0.1));
}
