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
            var measured = Measure(cases, o, progress, cancellationToken);
            return new EngineBenchmarkResult(o, measured[0], measured[1], measured[2], measured[3], measured[4], diff, MachineInfo.Current());
        }
        finally
        {
            TryDelete(root);
        }
    }

    private static EngineBenchmarkCase[] Measure((string Name, string Description, Action Run)[] cases, EngineBenchmarkOptions o, TextWriter? progress, CancellationToken cancellationToken)
    {
        Report(progress, $"Warming up: {o.WarmupIterations} run(s) of each of {cases.Length} cases");
        foreach (var c in cases)
        {
            for (int i = 0; i < o.WarmupIterations; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                c.Run();
            }
        }

        // Round-robin, one pass of every case per round, so drift (other load, clocks) hits every case alike.
        var samples = cases.Select(_ => new List<double>(o.Iterations)).ToArray();
        var clock = Stopwatch.StartNew();
        for (int round = 1; round <= o.Iterations; round++)
        {
            for (int i = 0; i < cases.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long start = Stopwatch.GetTimestamp();
                cases[i].Run();
                samples[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var times = string.Join(", ", cases.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {samples[i][^1]:F1} ms")));
            Report(progress, $"Round {round}/{o.Iterations}: {times}");
            if (o.TimeBudget is { } budget && clock.Elapsed >= budget && round < o.Iterations)
            {
                Report(progress, $"Time budget of {budget.TotalSeconds:F0} s spent after {round} round(s)");
                break;
            }
        }

        return [.. cases.Select((c, i) =>
        {
            double median = Median(samples[i]);
            return new EngineBenchmarkCase(c.Name, c.Description, samples[i].Count, median, samples[i].Min(), o.BatchSize / (median / 1000.0));
        })];
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

    private static void Validate(EngineBenchmarkOptions o)
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

    private static void Report(TextWriter? progress, FormattableString line) =>
        progress?.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static void TryDelete(string folder)
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
