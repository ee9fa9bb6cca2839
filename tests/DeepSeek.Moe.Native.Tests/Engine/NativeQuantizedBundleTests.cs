using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Native.Engine;
using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Native.Tests.Engine;

/// <summary>The native backend dequantizes a quantized bundle's weights on load and runs them in float32.</summary>
public sealed class NativeQuantizedBundleTests : IDisposable
{
    // ONNX Runtime dequantizes block by block inside MatMulNBits; the native kernels multiply by the same dequantized values.
    private const double Tolerance = 1e-4;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(WeightPrecisions.Int4, ExpertKinds.LinearLayerNormGelu, 30, 70)]
    [InlineData(WeightPrecisions.Int8, ExpertKinds.LinearLayerNormGelu, 64, 96)]
    [InlineData(WeightPrecisions.Int4, ExpertKinds.SwiGlu, 64, 96)]
    [InlineData(WeightPrecisions.Fp16, ExpertKinds.SwiGlu, 30, 70)]
    public void NativeCpu_QuantizedBundle_EqualsOnnxCpuOnTheSameBundle(string precision, string kind, int dModel, int dFf)
    {
        var source = DemoBundle.Create(_folder.Sub("fp32"), new DemoBundleOptions { Experts = 5, DModel = dModel, DFf = dFf, ExpertKind = kind, SharedExperts = 1, Seed = 3 });
        var bundle = BundleQuantizer.Quantize(source, _folder.Sub(precision), new QuantizationOptions { Precision = precision, BlockSize = 16, Gate = true });
        NativeBackends.Register();
        using var onnx = MoeBackends.Create(bundle, MoeBackends.OnnxCpu);
        using var native = MoeBackends.Create(bundle, NativeBackends.NativeCpu);
        const int rows = 41;
        var x = TestData.Gaussian(rows * dModel, seed: 12);

        var expected = onnx.Forward(x, rows, seed: 5);
        var actual = native.Forward(x, rows, seed: 5);

        Assert.Equal(expected.Routing.Indices, actual.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(expected.Outputs, actual.Outputs), 0, Tolerance);
    }
}
