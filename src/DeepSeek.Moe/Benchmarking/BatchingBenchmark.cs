using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>The options of <see cref="BatchingBenchmark"/>.</summary>
public sealed record BatchingBenchmarkOptions
{
    /// <summary>Gets the concurrent callers, each sending one row at a time and waiting for its answer.</summary>
    public int Callers { get; init; } = 64;

    /// <summary>Gets how long each mode is measured in each round.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long each mode runs before measuring, in every round.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets the rounds: each measures every mode in turn, so a change in the machine's load while the benchmark runs
    /// reaches all modes alike instead of favouring whichever ran at the quiet moment.
    /// </summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Gets the routed experts of the benchmark model.</summary>
    public int Experts { get; init; } = 16;

    /// <summary>Gets the model width (each row's values).</summary>
    public int DModel { get; init; } = 1024;

    /// <summary>Gets each expert's hidden width: with 1024 x 2048, one expert holds 16 MiB of fp32 weights, so a single row's pass reads far more weight bytes than it computes with.</summary>
    public int DFf { get; init; } = 2048;

    /// <summary>Gets the expert backend (<see cref="MoeBackends"/>). <value>Defaults to ONNX Runtime on the CPU.</value></summary>
    public string Backend { get; init; } = MoeBackends.OnnxCpu;

    /// <summary>Gets the intra-op threads per ONNX Runtime session (0: its default).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Gets the batching settings of the batched mode.</summary>
    public BatchingOptions Batching { get; init; } = new();

    /// <summary>Gets the folder for the temporary bundle. <value>Defaults to the temp folder.</value></summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>One mode's figures.</summary>
/// <param name="Name">The mode.</param>
/// <param name="Rows">Rows answered in the measured window.</param>
/// <param name="Seconds">The measured window.</param>
/// <param name="Latency">Per-call latency.</param>
/// <param name="KernelRuns">Batched runs made in the window: kernel calls of the per-kernel batchers (gate and experts), or passes of the layer batcher; 0 where not counted (unbatched: one gate and top-k expert calls per row).</param>
public sealed record BatchingModeResult(string Name, long Rows, double Seconds, LatencyStats Latency, long KernelRuns)
{
    /// <summary>Gets rows answered per second.</summary>
    public double RowsPerSecond => Rows / Seconds;
}

/// <summary>The figures of one <see cref="BatchingBenchmark"/> run.</summary>
/// <param name="Options">The options.</param>
/// <param name="Unbatched">Every caller's forward pass on its own.</param>
/// <param name="PerKernel">The same callers through the per-kernel micro-batchers, as the pipeline's gate and expert stages batch.</param>
/// <param name="Batched">The same callers through the layer batcher (<see cref="BatchingEngine.ForwardAsync"/>).</param>
/// <param name="MaxAbsDiff">The largest difference between a batched (either way) and an unbatched answer to the same row.</param>
/// <param name="Machine">The machine.</param>
/// <param name="RoundRatios">Each round's layer-batched and per-kernel throughput over its unbatched throughput.</param>
public sealed record BatchingBenchmarkResult(BatchingBenchmarkOptions Options, BatchingModeResult Unbatched, BatchingModeResult PerKernel, BatchingModeResult Batched, double MaxAbsDiff, MachineInfo Machine, IReadOnlyList<(double Layer, double PerKernel)> RoundRatios)
{
    /// <summary>Gets the headline ratio: layer-batched over unbatched throughput.</summary>
    public double Ratio => Batched.RowsPerSecond / Unbatched.RowsPerSecond;

    /// <summary>Gets per-kernel-batched over unbatched throughput.</summary>
    public double PerKernelRatio => PerKernel.RowsPerSecond / Unbatched.RowsPerSecond;

    /// <summary>Formats a table with the ratios under it.</summary>
    /// <returns>The table.</returns>
    public string ToTable()
    {
        var o = Options;
        var sb = new StringBuilder();
        Line(sb, $"Batching benchmark: {o.Callers} concurrent single-row callers, {o.Experts} experts top-2, backend {o.Backend}, d_model {o.DModel}, d_ff {o.DFf}, {o.Rounds} rounds of {o.Duration.TotalSeconds:F0} s per mode, intra-op threads {o.Threads}; batching max rows {o.Batching.MaxRows}, max delay {o.Batching.MaxDelay.TotalMilliseconds:F1} ms");
        Line(sb, $"Machine: {Machine.Description}");
        Line(sb, $"{"mode",-11} {"rows/s",10} {"p50 ms",8} {"p99 ms",8} {"mean ms",8} {"calls",8} {"batched runs",12}");
        foreach (var m in new[] { Unbatched, PerKernel, Batched })
        {
            Line(sb, $"{m.Name,-11} {m.RowsPerSecond,10:N0} {m.Latency.P50,8:F2} {m.Latency.P99,8:F2} {m.Latency.Mean,8:F2} {m.Latency.Count,8} {(m.KernelRuns == 0 ? "-" : m.KernelRuns.ToString("N0", CultureInfo.InvariantCulture)),12}");
        }

        Line(sb, $"throughput layer-batched/unbatched {Ratio:F2}x   p99 unbatched/layer-batched {Unbatched.Latency.P99 / Batched.Latency.P99:F2}x");
        Line(sb, $"throughput per-kernel/unbatched {PerKernelRatio:F2}x   p99 unbatched/per-kernel {Unbatched.Latency.P99 / PerKernel.Latency.P99:F2}x   max |batched - unbatched| {MaxAbsDiff:G3}");
        Line(sb, $"by round: layer-batched/unbatched {string.Join(" ", RoundRatios.Select(r => r.Layer.ToString("F2", CultureInfo.InvariantCulture) + "x"))}   per-kernel/unbatched {string.Join(" ", RoundRatios.Select(r => r.PerKernel.ToString("F2", CultureInfo.InvariantCulture) + "x"))}");
        return sb.ToString();
    }

    /// <summary>Formats one JSON object whose <c>ratio</c> is batched over unbatched throughput.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "batching");
            w.WriteNumber("ratio", Math.Round(Ratio, 3));
            w.WriteNumber("p99Ratio", Math.Round(Unbatched.Latency.P99 / Batched.Latency.P99, 3));
            w.WriteNumber("perKernelRatio", Math.Round(PerKernelRatio, 3));
            w.WriteNumber("perKernelP99Ratio", Math.Round(Unbatched.Latency.P99 / PerKernel.Latency.P99, 3));
            w.WriteNumber("maxAbsDiff", MaxAbsDiff);
            w.WriteStartArray("rounds");
            foreach (var (layer, perKernel) in RoundRatios)
            {
                w.WriteStartObject();
                w.WriteNumber("ratio", Math.Round(layer, 3));
                w.WriteNumber("perKernelRatio", Math.Round(perKernel, 3));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            foreach (var m in new[] { Unbatched, PerKernel, Batched })
            {
                w.WriteStartObject(m.Name);
                w.WriteNumber("rowsPerSecond", Math.Round(m.RowsPerSecond, 1));
                w.WriteNumber("p50Ms", Math.Round(m.Latency.P50, 4));
                w.WriteNumber("p99Ms", Math.Round(m.Latency.P99, 4));
                w.WriteNumber("meanMs", Math.Round(m.Latency.Mean, 4));
                w.WriteNumber("calls", m.Latency.Count);
                w.WriteNumber("kernelRuns", m.KernelRuns);
                w.WriteEndObject();
            }

            w.WriteStartObject("options");
            w.WriteNumber("callers", Options.Callers);
            w.WriteNumber("experts", Options.Experts);
            w.WriteString("backend", Options.Backend);
            w.WriteNumber("dModel", Options.DModel);
            w.WriteNumber("dFf", Options.DFf);
            w.WriteNumber("seconds", Options.Duration.TotalSeconds);
            w.WriteNumber("rounds", Options.Rounds);
            w.WriteNumber("threads", Options.Threads);
            w.WriteNumber("maxRows", Options.Batching.MaxRows);
            w.WriteNumber("maxDelayMs", Options.Batching.MaxDelay.TotalMilliseconds);
            w.WriteEndObject();
            Machine.WriteJson(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Line(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}

/// <summary>
/// Many concurrent single-row callers of one engine, each waiting for its answer before sending the next row:
/// every forward pass on its own, then the same callers through the per-kernel batchers (as the pipeline's stages
/// batch), then through the layer batcher, the three in turn in every round. Behind <c>deepseek bench batching</c>.
/// </summary>
public static class BatchingBenchmark
{
    /// <summary>Writes the demo bundle to a temporary folder, measures the three modes, and removes the folder.</summary>
    /// <param name="options">The run's options.</param>
    /// <param name="progress">Where progress lines go.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The figures.</returns>
    public static async Task<BatchingBenchmarkResult> RunAsync(BatchingBenchmarkOptions options, TextWriter? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Callers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Experts, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DModel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DFf, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rounds, 1);
        options.Batching.Validate();
        var root = Path.Combine(options.WorkDirectory ?? Path.GetTempPath(), "deepseek-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            progress?.WriteLine($"Writing a demo-kind bundle: {options.Experts} experts, d_model {options.DModel}, d_ff {options.DFf} under {root}");
            var bundle = DemoBundle.Create(Path.Combine(root, "demo"), new DemoBundleOptions { Experts = options.Experts, DModel = options.DModel, DFf = options.DFf });
            using var engine = MoeBackends.Create(bundle, options.Backend, new ExpertRuntimeOptions { IntraOpThreads = options.Threads });
            var batching = new BatchingEngine(engine, new BatchingOptions { Enabled = true, MaxRows = options.Batching.MaxRows, MaxDelay = options.Batching.MaxDelay, MaxConcurrentRuns = options.Batching.MaxConcurrentRuns });
            int d = engine.DModel;
            var rows = Enumerable.Range(0, options.Callers).Select(i => DemoBundle.Normal(new Random(1000 + i), d, 1.0)).ToArray();

            double diff = 0;
            for (int i = 0; i < Math.Min(8, rows.Length); i++)
            {
                var alone = engine.Forward(rows[i], 1, (ulong)i).Outputs;
                var layer = (await batching.ForwardAsync(rows[i], 1, (ulong)i, cancellationToken).ConfigureAwait(false)).Outputs;
                var stages = (await batching.ForwardPerKernelAsync(rows[i], 1, (ulong)i, cancellationToken).ConfigureAwait(false)).Outputs;
                diff = Math.Max(diff, alone.Zip(layer, (a, b) => Math.Abs((double)a - b)).Max());
                diff = Math.Max(diff, alone.Zip(stages, (a, b) => Math.Abs((double)a - b)).Max());
            }

            var unbatched = new List<ModeSample>();
            var perKernel = new List<ModeSample>();
            var layered = new List<ModeSample>();
            for (int round = 1; round <= options.Rounds; round++)
            {
                progress?.WriteLine($"Round {round} of {options.Rounds}, each mode {options.Warmup.TotalSeconds:F1} s warm-up and {options.Duration.TotalSeconds:F1} s measured, {options.Callers} callers:");
                progress?.WriteLine("  unbatched: each forward pass on its own");
                unbatched.Add(await MeasureAsync(rows, (x, i) => engine.Forward(x, 1, (ulong)i), () => 0, options.Warmup, options.Duration, cancellationToken).ConfigureAwait(false));
                progress?.WriteLine("  per-kernel: gate and expert calls coalesced per kernel as the pipeline's stages do");
                perKernel.Add(await MeasureAsync(rows, (x, i) => batching.ForwardPerKernelAsync(x, 1, (ulong)i, cancellationToken).GetAwaiter().GetResult(), () => batching.Counts.Runs, options.Warmup, options.Duration, cancellationToken).ConfigureAwait(false));
                progress?.WriteLine("  layer: the layer batcher, one pass per batch");
                layered.Add(await MeasureAsync(rows, (x, i) => batching.ForwardAsync(x, 1, (ulong)i, cancellationToken).GetAwaiter().GetResult(), () => batching.LayerCounts.Runs, options.Warmup, options.Duration, cancellationToken).ConfigureAwait(false));
            }

            var ratios = Enumerable.Range(0, options.Rounds)
                .Select(r => (layered[r].RowsPerSecond / unbatched[r].RowsPerSecond, perKernel[r].RowsPerSecond / unbatched[r].RowsPerSecond))
                .ToList();
            return new BatchingBenchmarkResult(options, ModeSample.Merge("unbatched", unbatched), ModeSample.Merge("per-kernel", perKernel), ModeSample.Merge("batched", layered), diff, MachineInfo.Current(), ratios);
        }
        finally
        {
            EngineBenchmark.TryDelete(root);
        }
    }

    // Each caller is a thread of its own (a client, not thread-pool work), sending one row and blocking until
    // its answer comes back, in every mode alike. The run itself waits without holding a thread-pool thread: the
    // batched modes' continuations need those.
    private static async Task<ModeSample> MeasureAsync(float[][] rows, Func<float[], int, MoeOutput> call, Func<long> kernelRuns, TimeSpan warmup, TimeSpan duration, CancellationToken ct)
    {
        long begin = Stopwatch.GetTimestamp();
        long measureFrom = begin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        long stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[rows.Length];
        var answered = new long[rows.Length];
        long runsBefore = 0;
        bool runsTaken = false;
        var gate = new Lock();

        void Caller(int i)
        {
            latencies[i] = [];
            int seq = 0;

            // Closed loop without think time: a caller wants its next row answered the moment it has the last
            // answer, so each call's latency runs from there. Time spent waiting to be scheduled (thread-pool
            // queueing, which unbatched callers meet most) counts, as it does for a real caller.
            long start = begin;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (start >= stopAt)
                {
                    return;
                }

                if (start >= measureFrom)
                {
                    lock (gate)
                    {
                        if (!runsTaken)
                        {
                            runsBefore = kernelRuns();
                            runsTaken = true;
                        }
                    }
                }

                call(rows[i], (i * 100_000) + seq++);
                long end = Stopwatch.GetTimestamp();
                if (end >= measureFrom)
                {
                    // Every call that overlaps the window counts in full, so a caller starved through the whole
                    // window still shows its wait; throughput counts the calls answered inside the window.
                    latencies[i].Add((end - start) * 1000.0 / Stopwatch.Frequency);
                    if (end <= stopAt)
                    {
                        answered[i]++;
                    }
                }

                start = end;
            }
        }

        var done = new List<Task>();
        foreach (int i in Enumerable.Range(0, rows.Length))
        {
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.Add(finished.Task);
            new Thread(() =>
            {
                try
                {
                    Caller(i);
                    finished.SetResult();
                }
                catch (Exception e)
                {
                    finished.SetException(e);
                }
            })
            { IsBackground = true, Name = $"bench-caller-{i}" }.Start();
        }

        await Task.WhenAll(done).ConfigureAwait(false);
        return new ModeSample(answered.Sum(), duration.TotalSeconds, [.. latencies.SelectMany(l => l)], kernelRuns() - runsBefore);
    }

    // One mode's measurement in one round.
    private sealed record ModeSample(long Rows, double Seconds, List<double> Latencies, long KernelRuns)
    {
        public double RowsPerSecond => Rows / Seconds;

        // The rounds of one mode as one result: rows and time added, latencies pooled.
        public static BatchingModeResult Merge(string name, List<ModeSample> rounds) =>
            new(name, rounds.Sum(r => r.Rows), rounds.Sum(r => r.Seconds), LatencyStats.Of([.. rounds.SelectMany(r => r.Latencies)]), rounds.Sum(r => r.KernelRuns));
    }
}
