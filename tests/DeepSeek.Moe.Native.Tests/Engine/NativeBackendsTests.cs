using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Native.Engine;
using DeepSeek.Moe.Native.Interop;

namespace DeepSeek.Moe.Native.Tests.Engine;

public sealed class NativeBackendsTests(BundleFixture bundles) : IClassFixture<BundleFixture>
{
    // The two backends round float32 differently (blocking, fused LayerNorm-GeLU); outputs are O(1).
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(nameof(BundleFixture.Demo), 64)]
    [InlineData(nameof(BundleFixture.Demo), 1)]
    [InlineData(nameof(BundleFixture.Small), 37)]
    [InlineData(nameof(BundleFixture.SwiGluShared), 50)]
    public void NativeCpu_EqualsOnnxCpu(string bundleName, int rows)
    {
        var bundle = Bundle(bundleName);
        NativeBackends.Register();
        using var onnx = MoeBackends.Create(bundle, MoeBackends.OnnxCpu);
        using var native = MoeBackends.Create(bundle, NativeBackends.NativeCpu);
        var x = TestData.Gaussian(rows * bundle.Manifest.DModel, seed: rows);

        var expected = onnx.Forward(x, rows, seed: 99);
        var actual = native.Forward(x, rows, seed: 99);

        Assert.Equal(NativeBackends.NativeCpu, native.Backend);
        Assert.Equal(expected.Routing.Indices, actual.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(expected.Outputs, actual.Outputs), 0, Tolerance);
    }

    [Fact]
    public void NativeCpu_EqualsTheManagedReference()
    {
        using var native = NativeBackends.Create(bundles.SwiGluShared, NativeDevice.Cpu);
        var x = TestData.Gaussian(20 * native.DModel, seed: 5);

        var actual = native.Forward(x, 20, seed: 1);
        var expected = new ReferenceMoe(bundles.SwiGluShared).Forward(x, 20, seed: 1);

        Assert.Equal(expected.Routing.Indices, actual.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(expected.Outputs, actual.Outputs), 0, Tolerance);
    }

    [Fact]
    public void NativeCpu_DenseMode_EqualsTheLayerCall()
    {
        using var native = NativeBackends.Create(bundles.Small, NativeDevice.Cpu);
        var x = TestData.Gaussian(40 * native.DModel, seed: 6);

        var sparse = native.Forward(x, 40, seed: 2);
        var dense = native.Forward(x, 40, seed: 2, ForwardMode.Dense);

        Assert.InRange(TestData.MaxAbsDiff(sparse.Outputs, dense.Outputs), 0, 1e-5);
    }

    [Fact]
    public void NativeCpu_ZeroRows_ReturnsEmpty()
    {
        using var native = NativeBackends.Create(bundles.Small, NativeDevice.Cpu);

        var result = native.Forward([], 0, seed: 1);

        Assert.Empty(result.Outputs);
    }

    [Fact]
    public void Register_AddsBothNamesToTheBackendList()
    {
        NativeBackends.Register();
        NativeBackends.Register();

        Assert.Single(MoeBackends.All, NativeBackends.NativeCpu);
        Assert.Single(MoeBackends.All, NativeBackends.NativeCuda);
    }

    [Fact]
    public void NativeCuda_EqualsOnnxCpuWhereBuilt_ElseNamesTheMissingLibrary()
    {
        string path = NativeLibraryResolver.PathOf(NativeLibraryResolver.CudaLibrary, AppContext.BaseDirectory);
        if (!File.Exists(path))
        {
            var ex = Assert.Throws<NativeLibraryLoadException>(() => NativeBackends.Create(bundles.Small, NativeDevice.Cuda));
            Assert.Equal(path, ex.LibraryPath);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains("CUDA", ex.Message, StringComparison.Ordinal);
            return;
        }

        using var onnx = MoeBackends.Create(bundles.Demo, MoeBackends.OnnxCpu);
        using var cuda = NativeBackends.Create(bundles.Demo, NativeDevice.Cuda);
        var x = TestData.Gaussian(64 * onnx.DModel, seed: 7);

        var expected = onnx.Forward(x, 64, seed: 3);
        var actual = cuda.Forward(x, 64, seed: 3);

        Assert.Equal(expected.Routing.Indices, actual.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(expected.Outputs, actual.Outputs), 0, Tolerance);
    }

    private ModelBundle Bundle(string name) => name switch
    {
        nameof(BundleFixture.Demo) => bundles.Demo,
        nameof(BundleFixture.Small) => bundles.Small,
        _ => bundles.SwiGluShared,
    };
}
