using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>
/// Converts one fp32 bundle to fp16, int8 and int4 and measures the four side by side in one process on the same batch:
/// bytes on disk, the engine's rows/s, and the error and routing against fp32. Behind <c>deepseek bench quantized</c>.
/// </summary>
public static class QuantizedBenchmark
{
    private static readonly string[] s_converted = [WeightPrecisions.Fp16, WeightPrecisions.Int8, WeightPrecisions.Int4];

    /// <summary>Writes the bundles into a temporary folder, measures every precision, and removes the folder.</summary>
    /// <param name="options">The run. <value>Defaults to <see cref="QuantizedBenchmarkOptions"/>'s defaults (the demo bundle).</value></param>
    /// <param name="progress">Where progress lines go (for example standard error). <value>Defaults to none.</value></param>
    /// <param name="cancellationToken">Stops the run between two forward passes.</param>
    /// <returns>The figures.</returns>
    /// <exception cref="ArgumentException">An option is out of range, or the model is not an fp32 bundle.</exception>
    /// <exception cref="BundleException">The model folder is not a valid bundle.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static QuantizedBenchmarkResult Run(QuantizedBenchmarkOptions? options = null, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        var q = options ?? new QuantizedBenchmarkOptions();
        var o = q.Run;
        EngineBenchmark.Validate(o);
        new QuantizationOptions { Precision = WeightPrecisions.Int4, BlockSize = q.BlockSize }.Validate();
        var root = Path.Combine(o.WorkDirectory ?? Path.GetTempPath(), "deepseek-bench-" + Guid.NewGuid().ToString("N"));
        var engines = new List<MoeEngine>();
        try
        {
            ModelBundle source;
            if (q.Model is { } model)
            {
                source = ModelBundle.Load(model);
            }
            else
            {
                EngineBenchmark.Report(progress, $"Writing the demo bundle ({o.Experts} experts, top-{o.TopK}, d_model {o.DModel}, d_ff {o.DFf}) under {root}");
                source = DemoBundle.Create(Path.Combine(root, WeightPrecisions.Fp32), new DemoBundleOptions { Experts = o.Experts, TopK = o.TopK, DModel = o.DModel, DFf = o.DFf, Seed = o.Seed });
            }

            var bundles = new List<ModelBundle> { source };
            foreach (var precision in s_converted)
            {
                EngineBenchmark.Report(progress, $"Converting '{source.Manifest.Id}' to {precision}{(q.Gate ? " (gate too)" : "")}");
                bundles.Add(BundleQuantizer.Quantize(source, Path.Combine(root, precision), new QuantizationOptions { Precision = precision, BlockSize = q.BlockSize, Gate = q.Gate }));
            }

            var runtime = new ExpertRuntimeOptions { IntraOpThreads = o.Threads };
            foreach (var bundle in bundles)
            {
                engines.Add(MoeEngine.CreateOnnx(bundle, runtime));
            }

            int b = o.BatchSize, d = source.Manifest.DModel;
            ulong seed = (ulong)o.Seed;
            var x = DemoBundle.Normal(new Random(o.Seed + 1), b * d, 1.0);
            var reference = engines[0].Forward(x, b, seed);
            var accuracy = engines.Skip(1).Select(e => QuantizationAccuracy.Compare(reference, e.Forward(x, b, seed))).ToList();
            var cases = bundles.Zip(engines)
                .Select(p => (p.First.Manifest.Precision, Describe(p.First.Manifest), (Action)(() => p.Second.Forward(x, b, seed))))
                .ToArray();
            EngineBenchmark.Report(progress, $"Measuring {cases.Length} precisions: {o.WarmupIterations} warm-up and up to {o.Iterations} timed run(s) each");
            var timings = EngineBenchmark.Measure(cases, o, progress, cancellationToken);
            var results = bundles.Select((bundle, i) => new QuantizedBenchmarkCase(bundle.Manifest.Precision, timings[i], bundle.SizeOnDisk(), i == 0 ? null : accuracy[i - 1])).ToList();
            return new QuantizedBenchmarkResult(q, Describe(source), results, MachineInfo.Current());
        }
        finally
        {
            engines.ForEach(e => e.Dispose());
            EngineBenchmark.TryDelete(root);
        }
    }

    private static string Describe(MoeManifest m) => m.Quantization switch
    {
        null => "float32 weights, MatMul",
        { BlockSize: { } block } => $"{WeightPrecisions.BitsOf(m.Precision)}-bit blocks of {block}, MatMulNBits",
        _ => "float16 weights, Cast + MatMul",
    };

    private static string Describe(ModelBundle bundle)
    {
        var m = bundle.Manifest;
        return $"'{m.Id}' {m.Version}: {m.Experts.Count} experts ({m.Experts[0].Kind}), top-{m.Routing.TopK}, d_model {m.DModel}, d_hidden {m.Experts[0].DHidden}";
    }
}
