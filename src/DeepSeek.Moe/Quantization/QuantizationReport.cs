using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Quantization;

/// <summary>What converting a bundle gained and cost: bytes on disk and the error against the source on a sample.</summary>
/// <param name="Source">The source bundle.</param>
/// <param name="Converted">The converted bundle.</param>
/// <param name="SourceBytes">The source bundle's files on disk.</param>
/// <param name="ConvertedBytes">The converted bundle's files on disk.</param>
/// <param name="Accuracy">The comparison on the sample, or <see langword="null"/> when no sample was run.</param>
/// <param name="Seed">The seed of the sample rows and of both passes' routing noise.</param>
public sealed record QuantizationReport(ModelBundle Source, ModelBundle Converted, long SourceBytes, long ConvertedBytes, QuantizationAccuracy? Accuracy, int Seed)
{
    /// <summary>Gets the converted size as a share of the source size.</summary>
    public double SizeShare => SourceBytes == 0 ? 0 : (double)ConvertedBytes / SourceBytes;

    /// <summary>Runs both bundles on the ONNX Runtime engine over the same Gaussian rows and routing seed and compares them.</summary>
    /// <param name="source">The source bundle.</param>
    /// <param name="converted">The converted bundle.</param>
    /// <param name="sampleRows">The rows to compare; 0 skips the comparison.</param>
    /// <param name="seed">The seed of the rows (N(0, 1) values) and of the routing noise.</param>
    /// <param name="runtime">The session options of both engines. <value>Defaults to the CPU provider.</value></param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The bundles differ in width or expert count.</exception>
    public static QuantizationReport Create(ModelBundle source, ModelBundle converted, int sampleRows, int seed, ExpertRuntimeOptions? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(converted);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleRows);
        var (a, b) = (source.Manifest, converted.Manifest);
        if (a.DModel != b.DModel || a.DOut != b.DOut || a.Experts.Count != b.Experts.Count || a.Routing.TopK != b.Routing.TopK)
        {
            throw new ArgumentException($"Bundles '{a.Id}' {a.Version} and '{b.Id}' {b.Version} differ in shape; only a bundle and its conversion compare.", nameof(converted));
        }

        QuantizationAccuracy? accuracy = null;
        if (sampleRows > 0)
        {
            using var sourceEngine = MoeEngine.CreateOnnx(source, runtime);
            using var convertedEngine = MoeEngine.CreateOnnx(converted, runtime);
            var x = DemoBundle.Normal(new Random(seed), sampleRows * a.DModel, 1.0);
            accuracy = QuantizationAccuracy.Measure(sourceEngine, convertedEngine, x, sampleRows, (ulong)seed);
        }

        return new QuantizationReport(source, converted, source.SizeOnDisk(), converted.SizeOnDisk(), accuracy, seed);
    }
}
