using DeepSeek.Moe.Native.Experts;

namespace DeepSeek.Moe.Native.Tests.Experts;

public sealed class NativeGateKernelTests
{
    [Fact]
    public void Run_EqualsNaiveProduct()
    {
        const int dModel = 37, experts = 6, rows = 19;
        var w = TestData.Gaussian(dModel * experts, seed: 1);
        var x = TestData.Gaussian(rows * dModel, seed: 2);
        using var gate = new NativeGateKernel(w, dModel, experts);
        var logits = new float[rows * experts];

        gate.Run(x, rows, logits);

        var (expected, abs) = ManagedReference.Gemm(rows, experts, dModel, x, w);
        for (int i = 0; i < logits.Length; i++)
        {
            Assert.InRange(Math.Abs(logits[i] - expected[i]), 0, 1e-6 * abs[i] + 1e-7);
        }
    }

    [Fact]
    public void Constructor_WeightOfTheWrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NativeGateKernel(new float[10], 3, 4));
    }
}
