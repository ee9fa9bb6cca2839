using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native.Engine;
using DeepSeek.Moe.Native.Experts;
using DeepSeek.Moe.Native.Tests.Experts;

namespace DeepSeek.Moe.Native.Tests.Engine;

public sealed class NativeMoeLayerTests
{
    private const double Tolerance = 1e-5;
    private const int DModel = 12, DHidden = 20, Experts = 4;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(Experts)]
    public void Run_EqualsWeightedSumOfReferenceExperts(int k)
    {
        var routed = Enumerable.Range(0, Experts).Select(i => (ExpertWeights)ExpertWeightsFactory.LinearLayerNormGelu(DModel, DHidden, DModel, seed: 10 * i)).ToArray();
        var shared = new ExpertWeights[] { ExpertWeightsFactory.LinearLayerNormGelu(DModel, DHidden, DModel, seed: 99) };
        using var kernels = new NativeExpertSet(routed, shared);
        using var layer = NativeMoeLayer.Create(kernels.Routed, kernels.Shared);
        const int rows = 9;
        var x = TestData.Gaussian(rows * DModel, seed: 1);
        var (idx, w) = Routing(rows, k);
        var y = new float[rows * DModel];

        layer.Run(x, rows, idx, w, k, y);

        Assert.InRange(TestData.MaxScaledError(y, Expected(routed, shared, x, rows, idx, w, k)), 0, Tolerance);
    }

    [Fact]
    public void Run_ExpertsDisposedFirst_StillRunsOnTheBorrowedExperts()
    {
        var routed = Enumerable.Range(0, Experts).Select(i => (ExpertWeights)ExpertWeightsFactory.SwiGlu(DModel, DHidden, DModel, seed: i)).ToArray();
        var kernels = new NativeExpertSet(routed, []);
        using var layer = NativeMoeLayer.Create(kernels.Routed, kernels.Shared);
        var x = TestData.Gaussian(5 * DModel, seed: 2);
        var (idx, w) = Routing(5, 2);
        var before = new float[5 * DModel];
        layer.Run(x, 5, idx, w, 2, before);

        kernels.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = new float[5 * DModel];
        layer.Run(x, 5, idx, w, 2, after);

        Assert.Equal(before, after);
    }

    [Fact]
    public void Run_ExpertIndexOutOfRange_ThrowsWithTheNativeMessage()
    {
        var routed = Enumerable.Range(0, Experts).Select(i => (ExpertWeights)ExpertWeightsFactory.SwiGlu(DModel, DHidden, DModel, seed: i)).ToArray();
        using var kernels = new NativeExpertSet(routed, []);
        using var layer = NativeMoeLayer.Create(kernels.Routed, kernels.Shared);

        var ex = Assert.Throws<NativeException>(() => layer.Run(new float[DModel], 1, [Experts], [1f], 1, new float[DModel]));

        Assert.Equal(NativeStatus.InvalidArgument, ex.Status);
        Assert.Equal("dsm_layer_forward", ex.Function);
        Assert.False(string.IsNullOrWhiteSpace(ex.NativeMessage));
    }

    [Fact]
    public void Create_ExpertsOfDifferentWidths_Throws()
    {
        using var a = NativeExpertKernel.Create(ExpertWeightsFactory.SwiGlu(4, 8, 4, seed: 1));
        using var b = NativeExpertKernel.Create(ExpertWeightsFactory.SwiGlu(5, 8, 4, seed: 2));

        Assert.Throws<ArgumentException>(() => NativeMoeLayer.Create([a, b], []));
    }

    [Fact]
    public void Create_DisposedExpert_Throws()
    {
        var a = NativeExpertKernel.Create(ExpertWeightsFactory.SwiGlu(4, 8, 4, seed: 1));
        a.Dispose();

        Assert.Throws<ObjectDisposedException>(() => NativeMoeLayer.Create([a], []));
    }

    private static (int[] Idx, float[] W) Routing(int rows, int k)
    {
        var rng = new Random(rows * 7 + k);
        var idx = new int[rows * k];
        var w = new float[rows * k];
        for (int r = 0; r < rows; r++)
        {
            var chosen = Enumerable.Range(0, Experts).OrderBy(_ => rng.Next()).Take(k).ToArray();
            for (int i = 0; i < k; i++)
            {
                idx[r * k + i] = chosen[i];
                w[r * k + i] = (float)rng.NextDouble();
            }
        }

        return (idx, w);
    }

    private static double[] Expected(ExpertWeights[] routed, ExpertWeights[] shared, float[] x, int rows, int[] idx, float[] w, int k)
    {
        var y = new double[rows * DModel];
        for (int r = 0; r < rows; r++)
        {
            var row = x[(r * DModel)..((r + 1) * DModel)];
            var terms = Enumerable.Range(0, k).Select(i => (ReferenceMoe.Expert(routed[idx[r * k + i]], row), (double)w[r * k + i]))
                .Concat(shared.Select(s => (ReferenceMoe.Expert(s, row), 1.0)));
            foreach (var (values, weight) in terms)
            {
                for (int j = 0; j < DModel; j++)
                {
                    y[r * DModel + j] += weight * values[j];
                }
            }
        }

        return y;
    }
}
