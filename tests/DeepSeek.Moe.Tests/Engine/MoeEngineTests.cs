using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Tests.Engine;

public sealed class MoeEngineTests(DemoBundleFixture demo) : IClassFixture<DemoBundleFixture>
{
    // The reference computes in double; ONNX Runtime in float32 with 1024-term dot products.
    private const double Tolerance = 1e-5;

    [Fact]
    public void Forward_DemoBundle_EqualsReference()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        var reference = new ReferenceMoe(demo.Bundle);
        const int rows = 64;
        var x = TestData.Gaussian(rows * engine.DModel, seed: 7);

        var actual = engine.Forward(x, rows, seed: 1234);
        var expected = reference.Forward(x, rows, seed: 1234);

        Assert.Equal(expected.Routing.Indices, actual.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(expected.Outputs, actual.Outputs), 0, Tolerance);
    }

    [Fact]
    public void Forward_Dense_EqualsSparse()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        const int rows = 100;
        var x = TestData.Gaussian(rows * engine.DModel, seed: 8);

        var sparse = engine.Forward(x, rows, seed: 5, ForwardMode.Sparse);
        var dense = engine.Forward(x, rows, seed: 5, ForwardMode.Dense);

        Assert.Equal(sparse.Routing.Indices, dense.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(sparse.Outputs, dense.Outputs), 0, Tolerance);
    }

    [Fact]
    public void Forward_SameSeed_ReplaysIdentically()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        var x = TestData.Gaussian(32 * engine.DModel, seed: 9);

        var a = engine.Forward(x, 32, seed: 77);
        var b = engine.Forward(x, 32, seed: 77);
        var c = engine.Forward(x, 32, seed: 78);

        Assert.Equal(a.Outputs, b.Outputs);
        Assert.Equal(77UL, a.Routing.Seed);
        Assert.NotEqual(a.Routing.Indices, c.Routing.Indices);
    }

    [Fact]
    public void Forward_ZeroRows_ReturnsEmpty()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);

        var result = engine.Forward([], 0, seed: 1);

        Assert.Empty(result.Outputs);
        Assert.Equal(0, result.Routing.Rows);
    }

    [Fact]
    public void Forward_SingleRow_EqualsSameRowInBatch()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        int d = engine.DModel;
        var x = TestData.Gaussian(10 * d, seed: 10);

        var batch = engine.Forward(x, 10, seed: 3);
        var first = engine.Forward(x.AsSpan(0, d), 1, seed: 3);

        Assert.Equal(batch.Routing.ExpertsOf(0).ToArray(), first.Routing.ExpertsOf(0).ToArray());
        Assert.InRange(TestData.MaxAbsDiff(batch.Row(0), first.Row(0)), 0, Tolerance);
    }

    [Fact]
    public async Task Forward_ConcurrentCallers_EachGetTheirOwnResult()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        int d = engine.DModel;
        var inputs = Enumerable.Range(0, 8).Select(i => TestData.Gaussian(16 * d, seed: 100 + i)).ToArray();
        var expected = inputs.Select(x => engine.Forward(x, 16, seed: 1).Outputs).ToArray();

        var actual = await Task.WhenAll(inputs.Select(x => Task.Run(() => engine.Forward(x, 16, seed: 1).Outputs)));

        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void Forward_InputTooShort_Throws()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);

        Assert.Throws<ArgumentException>(() => engine.Forward(new float[10], 1, seed: 0));
    }

    [Fact]
    public void Forward_DemoRouting_IsReasonablyBalanced()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        const int rows = 4096;
        var x = TestData.Gaussian(rows * engine.DModel, seed: 11);

        var load = engine.Route(x, rows, seed: 1).Load();

        Assert.Equal(rows * 2, load.Total);
        Assert.All(load.Activations, a => Assert.True(a > 0));
        Assert.InRange(load.Balancedness, 0.7, 1.0);
    }

    [Fact]
    public void CreateOnnx_CudaWithoutFallback_FailsWithClearMessage()
    {
        var options = new ExpertRuntimeOptions { ExecutionProvider = ExecutionProviders.Cuda };

        var ex = Assert.Throws<ExecutionProviderUnavailableException>(() => MoeEngine.CreateOnnx(demo.Bundle, options));

        Assert.Equal("cuda", ex.Provider);
        Assert.Contains("FallbackToCpu", ex.Message);
    }

    [Fact]
    public void CreateOnnx_TensorRtWithFallback_RunsOnCpu()
    {
        var options = new ExpertRuntimeOptions { ExecutionProvider = ExecutionProviders.TensorRt, FallbackToCpu = true };

        using var engine = MoeEngine.CreateOnnx(demo.Bundle, options);

        Assert.Equal("onnx-cpu", engine.Backend);
        Assert.Equal(2, engine.Forward(TestData.Gaussian(2 * engine.DModel, 1), 2, 0).Rows);
    }

    [Fact]
    public void CreateOnnx_UnknownProvider_Throws()
    {
        var options = new ExpertRuntimeOptions { ExecutionProvider = "rocm" };

        Assert.Throws<ArgumentException>(() => MoeEngine.CreateOnnx(demo.Bundle, options));
    }
}
