using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Onnx;
using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Tests.Quantization;

public sealed class OnnxWeightConverterTests : IDisposable
{
    private const int DModel = 64, DFf = 96, Rows = 37;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(ExpertKinds.LinearLayerNormGelu, 4, 32, false)]
    [InlineData(ExpertKinds.LinearLayerNormGelu, 4, 16, true)]
    [InlineData(ExpertKinds.LinearLayerNormGelu, 8, 32, false)]
    [InlineData(ExpertKinds.LinearLayerNormGelu, 8, 64, true)]
    [InlineData(ExpertKinds.SwiGlu, 4, 32, false)]
    [InlineData(ExpertKinds.SwiGlu, 8, 128, false)]
    public void Convert_Expert_OrtSessionMatchesManagedDequantizedReference(string kind, int bits, int blockSize, bool symmetric)
    {
        var source = SourceExpert(kind);
        var path = _folder.Sub("q.onnx");
        var format = new WeightFormat(bits == 4 ? WeightPrecisions.Int4 : WeightPrecisions.Int8, blockSize, symmetric);

        int converted = OnnxWeightConverter.Convert(source.Path, path, format);

        Assert.Equal(kind == ExpertKinds.SwiGlu ? 3 : 2, converted);
        var expected = Dequantized(source.Weights, bits, blockSize, symmetric);
        AssertSessionMatches(path, expected, 1e-4);
    }

    [Fact]
    public void Convert_Fp16_OrtSessionMatchesHalfRoundedReference()
    {
        var source = SourceExpert(ExpertKinds.LinearLayerNormGelu);
        var path = _folder.Sub("h.onnx");

        OnnxWeightConverter.Convert(source.Path, path, new WeightFormat(WeightPrecisions.Fp16, 0, false));

        var w = (LinearLayerNormGeluWeights)source.Weights;
        var expected = w with { W1 = [.. w.W1.Select(v => (float)(Half)v)], W2 = [.. w.W2.Select(v => (float)(Half)v)] };
        AssertSessionMatches(path, expected, 1e-4);
        Assert.True(new FileInfo(path).Length < 0.55 * new FileInfo(source.Path).Length);
    }

    [Fact]
    public void Convert_Fp16WeightBeyondHalfRange_RefusesNamingTheWeight()
    {
        var path = _folder.Sub("big.onnx");
        ExpertGraphs.SaveGate(path, [1f, 7e4f, 2f, 3f], 2, 2);

        var ex = Assert.Throws<ArgumentException>(() => OnnxWeightConverter.Convert(path, _folder.Sub("h.onnx"), new WeightFormat(WeightPrecisions.Fp16, 0, false)));

        Assert.Contains("Weight 'w_router' holds 70000, beyond float16's range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initializer_QuantizedFile_ReadsBackTheDequantizedWeights()
    {
        var source = SourceExpert(ExpertKinds.LinearLayerNormGelu);
        var path = _folder.Sub("q.onnx");
        OnnxWeightConverter.Convert(source.Path, path, new WeightFormat(WeightPrecisions.Int4, 32, false));

        var read = (LinearLayerNormGeluWeights)ExpertWeights.Read(OnnxModelFile.Read(path, "q.onnx"), ExpertKinds.LinearLayerNormGelu);

        var expected = (LinearLayerNormGeluWeights)Dequantized(source.Weights, 4, 32, false);
        Assert.Equal(expected.W1, read.W1);
        Assert.Equal(expected.W2, read.W2);
        Assert.Equal(((LinearLayerNormGeluWeights)source.Weights).B1, read.B1);
        var q = OnnxModelFile.Read(path, "q.onnx").QuantizedInitializer(ExpertGraphs.W1);
        Assert.Equal((DModel, DFf, 4, 32), (q.K, q.N, q.Bits, q.BlockSize));
    }

    private (string Path, ExpertWeights Weights) SourceExpert(string kind)
    {
        var dir = _folder.Sub("src-" + kind);
        var bundle = DemoBundle.Create(dir, new DemoBundleOptions { DModel = DModel, DFf = DFf, Experts = 2, TopK = 1, ExpertKind = kind });
        var e = bundle.Manifest.Experts[1];
        return (bundle.PathOf(e.File), ExpertWeights.Read(OnnxModelFile.Read(bundle.PathOf(e.File), e.File), e.Kind));
    }

    private static ExpertWeights Dequantized(ExpertWeights weights, int bits, int blockSize, bool symmetric)
    {
        float[] Dq(float[] w, int k, int n) => BlockQuantizer.Dequantize(BlockQuantizer.Quantize(w, k, n, bits, blockSize, symmetric));
        return weights switch
        {
            LinearLayerNormGeluWeights w => w with { W1 = Dq(w.W1, w.DModel, w.DHidden), W2 = Dq(w.W2, w.DHidden, w.DOut) },
            SwiGluWeights w => w with { WGate = Dq(w.WGate, w.DModel, w.DHidden), WUp = Dq(w.WUp, w.DModel, w.DHidden), WDown = Dq(w.WDown, w.DHidden, w.DOut) },
            _ => throw new ArgumentOutOfRangeException(nameof(weights)),
        };
    }

    private static void AssertSessionMatches(string path, ExpertWeights expected, double tolerance)
    {
        var x = TestData.Gaussian(Rows * DModel, seed: 3);
        var y = new float[Rows * DModel];
        using (var kernel = new OnnxExpertKernel(new OnnxSessionFactory(new ExpertRuntimeOptions()).Create(path), ExpertGraphs.InputName, ExpertGraphs.OutputName, DModel, DModel))
        {
            kernel.Run(x, Rows, y);
        }

        var reference = new double[Rows * DModel];
        for (int r = 0; r < Rows; r++)
        {
            ReferenceMoe.Expert(expected, x.AsSpan(r * DModel, DModel)).CopyTo(reference, r * DModel);
        }

        Assert.InRange(TestData.MaxScaledError(y, reference), 0, tolerance);
    }
}
