using System.Diagnostics;
using System.Globalization;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>
/// Measures, side by side in one process, the engine's sparse top-k against its dense baseline and against
/// ONNX Runtime's MoE operator on the same SwiGLU weights, and sparse against dense on the demo bundle.
/// Behind <c>deepseek bench engine</c>.
/// </summary>
public static class EngineBenchmark
{
    /// <summary>Writes the bundles into a temporary folder, measures every case, and removes the folder.</summary>
    /// <param name="options">The shape and length of the run. <value>Defaults to <see cref="EngineBenchmarkOptions"/>'s defaults.</value></param>
    /// <param name="progress">Where progress lines go (for example standard error). <value>Defaults to none.</value></param>
    /// <param name="cancellationToken">Stops the run between two forward passes.</param>
    /// <returns>The figures.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static EngineBenchmarkResult Run(EngineBenchmarkOptions? options = null, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new EngineBenchmarkOptions();
        Validate(o);
        var root = Path.Combine(o.WorkDirectory ?? Path.GetTempPath(), "deepseek-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            Report(progress, $"Writing a SwiGLU and a demo bundle ({o.Experts} experts, d_model {o.DModel}, d_ff {o.DFf}) under {root}");
            var shape = new DemoBundleOptions { Experts = o.Experts, TopK = o.TopK, DModel = o.DModel, DFf = o.DFf, Seed = o.Seed };
            var swiGluBundle = DemoBundle.Create(Path.Combine(root, "swiglu"), shape with { ExpertKind = ExpertKinds.SwiGlu });
            var demoBundle = DemoBundle.Create(Path.Combine(root, "demo"), shape);
            var runtime = new ExpertRuntimeOptions { IntraOpThreads = o.Threads };
            using var swiGlu = MoeEngine.CreateOnnx(swiGluBundle, runtime);
            using var moeOperator = OrtMoeOperator.Create(swiGluBundle, runtime);
            using var demo = MoeEngine.CreateOnnx(demoBundle, runtime);

            int b = o.BatchSize;
            ulong seed = (ulong)o.Seed;
            var x = DemoBundle.Normal(new Random(o.Seed + 1), b * o.DModel, 1.0);
            double diff = MaxAbsDiff(swiGlu.Forward(x, b, seed).Outputs, moeOperator.Run(x, b));
            Report(progress, $"Engine and MoE operator agree to {diff:G3} on the benchmark batch");

            string topK = $"top-{o.TopK} of {o.Experts}";
            var cases = new (string Name, string Description, Action Run)[]
            {
                ("swiglu-sparse", $"engine sparse {topK}, swiglu", () => swiGlu.Forward(x, b, seed, ForwardMode.Sparse)),
                ("swiglu-dense", $"engine dense, all {o.Experts} experts, swiglu", () => swiGlu.Forward(x, b, seed, ForwardMode.Dense)),
                ("moe-operator", $"ORT com.microsoft MoE {topK}, same weights", () => moeOperator.Run(x, b)),
                ("demo-sparse", $"engine sparse {topK}, {ExpertKinds.LinearLayerNormGelu}", () => demo.Forward(x, b, seed, ForwardMode.Sparse)),
                ("demo-dense", $"engine dense, all {o.Experts} experts, demo", () => demo.Forward(x, b, seed, ForwardMode.Dense)),
            };
            Report(progress, $"Measuring {cases.Length} cases: {o.WarmupIterations} warm-up and up to {o.Iterations} timed run(s) each");
            var measured = Measure(cases, o, progress, cancellationToken);
            return new EngineBenchmarkResult(o, measured[0], measured[1], measured[2], measured[3], measured[4], diff, MachineInfo.Current());
        }
        finally
        {
            TryDelete(root);
        }
    }

    internal static EngineBenchmarkCase[] Measure((string Name, string Description, Action Run)[] cases, EngineBenchmarkOptions o, TextWriter? progress, CancellationToken cancellationToken)
    {
        // One case at a time, as BenchmarkDotNet does: the figures are steady-state throughput of a layer run
        // again and again. Interleaving cases would make every pass fetch its expert weights from DRAM again.
        var measured = new EngineBenchmarkCase[cases.Length];
        for (int i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            for (int w = 0; w < o.WarmupIterations; w++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                c.Run();
            }

            // Start every case from a clean heap (as BenchmarkDotNet does) so no case pays for another's garbage.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var samples = new List<double>(o.Iterations);
            var clock = Stopwatch.StartNew();
            while (samples.Count < o.Iterations && (samples.Count == 0 || o.TimeBudget is not { } budget || clock.Elapsed < budget))
            {
                cancellationToken.ThrowIfCancellationRequested();
                long start = Stopwatch.GetTimestamp();
                c.Run();
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            double median = Median(samples);
            measured[i] = new EngineBenchmarkCase(c.Name, c.Description, samples.Count, median, samples.Min(), o.BatchSize / (median / 1000.0));
            Report(progress, $"[{i + 1}/{cases.Length}] {c.Name}: median {median:F2} ms over {samples.Count} run(s), {measured[i].RowsPerSecond:N0} rows/s");
        }

        return measured;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private static double MaxAbsDiff(float[] a, float[] b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    internal static void Validate(EngineBenchmarkOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(o.BatchSize, 1, nameof(o.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(o.WarmupIterations, nameof(o.WarmupIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Iterations, 1, nameof(o.Iterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Experts, 1, nameof(o.Experts));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.TopK, 1, nameof(o.TopK));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(o.TopK, o.Experts, nameof(o.TopK));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.DModel, 1, nameof(o.DModel));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.DFf, 1, nameof(o.DFf));
        ArgumentOutOfRangeException.ThrowIfNegative(o.Threads, nameof(o.Threads));
    }

    internal static void Report(TextWriter? progress, FormattableString line) =>
        progress?.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
