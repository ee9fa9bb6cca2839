using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Tests.Quantization;

public sealed class BundleQuantizerTests(DemoBundleFixture demo) : IClassFixture<DemoBundleFixture>, IDisposable
{
    private const int SampleRows = 1024;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Quantize_Int4DemoBundle_QuarterOfTheSizeSameRoutingErrorBounded()
    {
        var int4 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("int4"), new QuantizationOptions { Precision = WeightPrecisions.Int4 });

        var accuracy = Measure(demo.Bundle, int4);

        // The acceptance bar: at most 25% of the fp32 bundle on disk (measured 16.3%), at least 99% of rows routed alike.
        Assert.InRange((double)int4.SizeOnDisk() / demo.Bundle.SizeOnDisk(), 0.10, 0.25);
        Assert.True(accuracy.RoutingAgreement >= 0.99, $"routing agreement {accuracy.RoutingAgreement:P2}");
        // Round-to-nearest 4-bit blocks of Gaussian weights: about 8% noise per weight, 12% on the outputs (measured).
        Assert.InRange(accuracy.MeanAbsError, 1e-4, 0.2 * accuracy.MeanAbsOutput);
        Assert.InRange(accuracy.MaxAbsError, accuracy.MeanAbsError, 10 * accuracy.MeanAbsOutput);
    }

    [Fact]
    public void Quantize_Int8_ErrorAnOrderBelowInt4()
    {
        var int8 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("int8"), new QuantizationOptions { Precision = WeightPrecisions.Int8 });
        var int4 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("int4"), new QuantizationOptions { Precision = WeightPrecisions.Int4 });

        var a8 = Measure(demo.Bundle, int8);
        var a4 = Measure(demo.Bundle, int4);

        Assert.InRange((double)int8.SizeOnDisk() / demo.Bundle.SizeOnDisk(), 0.25, 0.32);
        Assert.True(a8.MeanAbsError * 8 < a4.MeanAbsError, $"int8 {a8.MeanAbsError:G3}, int4 {a4.MeanAbsError:G3}");
    }

    [Fact]
    public void Quantize_Fp16_HalfTheSizeTinyError()
    {
        var fp16 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("fp16"), new QuantizationOptions { Precision = WeightPrecisions.Fp16 });

        var accuracy = Measure(demo.Bundle, fp16);

        Assert.InRange((double)fp16.SizeOnDisk() / demo.Bundle.SizeOnDisk(), 0.49, 0.51);
        Assert.Equal(0, accuracy.RoutingDifferent);
        Assert.InRange(accuracy.MaxAbsError, 0, 1e-2);
        Assert.Null(fp16.Manifest.Quantization!.BlockSize);
    }

    [Fact]
    public void Quantize_Int4_ManifestRecordsPrecisionAndKeepsTheGate()
    {
        var int4 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("int4"), new QuantizationOptions { Precision = WeightPrecisions.Int4, BlockSize = 64 });

        var m = ModelBundle.ReadManifest(Path.Combine(int4.Directory, MoeManifest.FileName));
        Assert.Equal(WeightPrecisions.Int4, m.Precision);
        Assert.Equal(new QuantizationManifest { BlockSize = 64, Symmetric = false, Gate = false, From = "demo 1.0.0-seed42" }, m.Quantization);
        Assert.Equal("1.0.0-seed42-int4", m.Version);
        Assert.Equal(demo.Bundle.Manifest.Gate, m.Gate);
        Assert.Equal(File.ReadAllBytes(demo.Bundle.PathOf("gate.onnx")), File.ReadAllBytes(int4.PathOf("gate.onnx")));
        Assert.All(m.Experts.Zip(demo.Bundle.Manifest.Experts), p => Assert.NotEqual(p.Second.Sha256, p.First.Sha256));
        Assert.All(m.Experts, e => Assert.Equal(FileHash.Sha256(int4.PathOf(e.File)), e.Sha256));
    }

    [Fact]
    public void Quantize_Int4WithGate_ConvertsTheGateAndReportsItsRouting()
    {
        var int4 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("int4g"), new QuantizationOptions { Precision = WeightPrecisions.Int4, Gate = true });

        var accuracy = Measure(demo.Bundle, int4);

        Assert.True(int4.Manifest.Quantization!.Gate);
        Assert.NotEqual(demo.Bundle.Manifest.Gate.Sha256, int4.Manifest.Gate.Sha256);
        Assert.InRange(accuracy.RoutingDifferent, 1, SampleRows / 2);
    }

    [Fact]
    public void Forward_Int4Bundle_EqualsTheReferenceOfTheQuantizedModel()
    {
        var int4 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("int4"), new QuantizationOptions { Precision = WeightPrecisions.Int4, Gate = true });
        using var engine = MoeEngine.CreateOnnx(int4);
        var reference = new ReferenceMoe(int4);
        const int rows = 64;
        var x = TestData.Gaussian(rows * engine.DModel, seed: 11);

        var actual = engine.Forward(x, rows, seed: 3);
        var expected = reference.Forward(x, rows, seed: 3);

        // The reference computes in double on the dequantized weights; MatMulNBits dequantizes block by block in float.
        Assert.Equal(expected.Routing.Indices, actual.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(expected.Outputs, actual.Outputs), 0, 1e-4);
    }

    [Fact]
    public void Quantize_AlreadyQuantizedBundle_RefusesNamingItsPrecision()
    {
        var int8 = BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("int8"), new QuantizationOptions { Precision = WeightPrecisions.Int8 });

        var ex = Assert.Throws<ArgumentException>(() => BundleQuantizer.Quantize(int8, _folder.Sub("again"), new QuantizationOptions { Precision = WeightPrecisions.Int4 }));

        Assert.Contains("is already int8", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Sub("again")));
    }

    [Fact]
    public void Quantize_BadOptions_ListsEveryProblemAndWritesNothing()
    {
        var options = new QuantizationOptions { Precision = "int3", BlockSize = 48, Symmetric = true };

        var ex = Assert.Throws<ArgumentException>(() => BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("bad"), options));

        Assert.Contains("precision 'int3' is not one of int4, int8, fp16", ex.Message, StringComparison.Ordinal);
        Assert.Contains("symmetric blocks apply to int8 and int4 only", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Sub("bad")));
        var block = Assert.Throws<ArgumentException>(() => new QuantizationOptions { Precision = WeightPrecisions.Int4, BlockSize = 48 }.Validate());
        Assert.Contains("block size 48 is not allowed: a block size must be a power of two from 16 to 256", block.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantize_IntoNonEmptyFolder_Refuses()
    {
        Directory.CreateDirectory(_folder.Sub("full"));
        File.WriteAllText(_folder.Sub("full/keep.txt"), "mine");

        Assert.Throws<IOException>(() => BundleQuantizer.Quantize(demo.Bundle, _folder.Sub("full"), new QuantizationOptions { Precision = WeightPrecisions.Int4 }));
        Assert.True(File.Exists(_folder.Sub("full/keep.txt")));
    }

    [Fact]
    public void Quantize_SwiGluBundleWithSharedExpert_EveryExpertConvertedAndRuns()
    {
        var source = DemoBundle.Create(_folder.Sub("swiglu"), new DemoBundleOptions { DModel = 32, DFf = 64, Experts = 4, ExpertKind = ExpertKinds.SwiGlu, SharedExperts = 1 });

        var int4 = BundleQuantizer.Quantize(source, _folder.Sub("swiglu-int4"), new QuantizationOptions { Precision = WeightPrecisions.Int4, BlockSize = 16, Symmetric = true });

        Assert.NotEqual(source.Manifest.SharedExperts[0].Sha256, int4.Manifest.SharedExperts[0].Sha256);
        var accuracy = Measure(source, int4, rows: 64);
        Assert.InRange(accuracy.MeanAbsError, 1e-5, 0.2 * accuracy.MeanAbsOutput);
    }

    private static QuantizationAccuracy Measure(ModelBundle source, ModelBundle converted, int rows = SampleRows)
    {
        using var a = MoeEngine.CreateOnnx(source);
        using var b = MoeEngine.CreateOnnx(converted);
        var x = TestData.Gaussian(rows * a.DModel, seed: 5);
        return QuantizationAccuracy.Measure(a, b, x, rows, seed: 9);
    }
}
