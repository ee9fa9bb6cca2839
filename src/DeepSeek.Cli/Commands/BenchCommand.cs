using System.CommandLine;
using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Benchmarking;
using DeepSeek.Moe.Engine;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek bench SCENARIO</c>: side-by-side measurements from one run.</summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var bench = new Command("bench", "Measure throughput side by side in one run.");
        bench.Add(Engine(console));
        bench.Add(Batching(console));
        bench.Add(Pipeline(console));
        bench.Add(BenchQuantizedCommand.Create(console));
        return bench;
    }

    private static Command Pipeline(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (its `ratio` is engine rows/s over pipeline rows/s)." };
        var requests = new Option<int>("--requests") { Description = "Single-row HTTP requests for the latency figures.", DefaultValueFactory = _ => 100 };
        var rows = new Option<int>("--rows") { Description = "Rows in the job (one row per line).", DefaultValueFactory = _ => 10_000 };
        var command = new Command("pipeline", "The local stack (Azurite + worker) against the in-process engine on the same rows: latency, job throughput, storage operations per row.")
        {
            json, requests, rows,
        };
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var root = DeepSeek.Pipeline.Local.AzuriteServer.FindRepositoryRoot()
                ?? throw new CliUsageException("run `deepseek bench pipeline` inside the repository (it starts Azurite from the repository's package.json)");
            var result = await Benchmarking.PipelineBenchmark.RunAsync(root, p.GetValue(requests), p.GetValue(rows), console.Error, ct).ConfigureAwait(false);
            await console.Out.WriteLineAsync(p.GetValue(json) ? result.ToJson() : result.ToTable()).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Batching(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (its `ratio` is batched rows/s over unbatched rows/s)." };
        var callers = new Option<int>("--callers") { Description = "Concurrent single-row callers.", DefaultValueFactory = _ => 64 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per mode in each round (after one second of warm-up).", DefaultValueFactory = _ => 5 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds, each measuring the three modes in turn, so a change in the machine's load reaches them alike.", DefaultValueFactory = _ => new BatchingBenchmarkOptions().Rounds };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per session (0: ONNX Runtime's default).", DefaultValueFactory = _ => 1 };
        var maxRows = new Option<int>("--max-rows") { Description = "Most rows one coalesced call runs.", DefaultValueFactory = _ => new BatchingOptions().MaxRows };
        var maxDelay = new Option<double>("--max-delay-ms") { Description = "How long the first call to an idle batcher waits for companions.", DefaultValueFactory = _ => new BatchingOptions().MaxDelay.TotalMilliseconds };
        var runs = new Option<int>("--max-concurrent-runs") { Description = "Coalesced expert calls that may run at once (the gate runs outside this limit), and experts of a layer batch run at once (0: one per core).", DefaultValueFactory = _ => new BatchingOptions().MaxConcurrentRuns };
        var defaults = new BatchingBenchmarkOptions();
        var experts = new Option<int>("--experts") { Description = "Routed experts (top-2).", DefaultValueFactory = _ => defaults.Experts };
        var dModel = new Option<int>("--d-model") { Description = "Model width.", DefaultValueFactory = _ => defaults.DModel };
        var dFf = new Option<int>("--d-ff") { Description = "Expert hidden width (1024 x 2048: 16 MiB of weights per expert; 256 x 1024 is the small demo shape).", DefaultValueFactory = _ => defaults.DFf };
        var backend = new Option<string>("--backend") { Description = "Expert backend.", DefaultValueFactory = _ => defaults.Backend };
        backend.AcceptOnlyFromAmong([.. MoeBackends.All]);
        var command = new Command("batching", "Concurrent single-row callers of one model, each forward pass alone vs coalesced per kernel (as the stages do) vs through the layer batcher: throughput, p50, p99.")
        {
            json, callers, seconds, rounds, threads, maxRows, maxDelay, runs, experts, dModel, dFf, backend,
        };
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            if (p.GetValue(callers) < 1 || p.GetValue(seconds) <= 0 || p.GetValue(rounds) < 1 || p.GetValue(threads) < 0 || p.GetValue(experts) < 2 || p.GetValue(dModel) < 1 || p.GetValue(dFf) < 1)
            {
                throw new CliUsageException("--callers must be at least 1, --seconds positive, --rounds at least 1, --threads 0 or more, --experts at least 2, --d-model and --d-ff positive");
            }

            var batching = new BatchingOptions { MaxRows = p.GetValue(maxRows), MaxDelay = TimeSpan.FromMilliseconds(p.GetValue(maxDelay)), MaxConcurrentRuns = p.GetValue(runs) };
            try
            {
                batching.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
            }

            var options = new BatchingBenchmarkOptions
            {
                Callers = p.GetValue(callers),
                Duration = TimeSpan.FromSeconds(p.GetValue(seconds)),
                Rounds = p.GetValue(rounds),
                Threads = p.GetValue(threads),
                Batching = batching,
                Experts = p.GetValue(experts),
                DModel = p.GetValue(dModel),
                DFf = p.GetValue(dFf),
                Backend = p.GetValue(backend)!,
            };
            var result = await BatchingBenchmark.RunAsync(options, console.Error, ct).ConfigureAwait(false);
            await console.Out.WriteLineAsync(p.GetValue(json) ? result.ToJson() : result.ToTable()).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Engine(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (its `ratio` is sparse/dense) instead of a table." };
        var batch = new Option<int>("--batch") { Description = "Rows per forward pass.", DefaultValueFactory = _ => 1024 };
        var iterations = new Option<int>("--iterations") { Description = "Timed passes per case (the median is reported).", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per session (0: ONNX Runtime's default).", DefaultValueFactory = _ => 0 };
        var command = new Command("engine", "Rows/s of sparse top-k, dense (all experts) and ONNX Runtime's com.microsoft MoE operator on the same weights.")
        {
            json, batch, iterations, threads,
        };
        command.SetAction((p, ct) => console.GuardAsync(() =>
        {
            var options = new EngineBenchmarkOptions { BatchSize = p.GetValue(batch), Iterations = p.GetValue(iterations), Threads = p.GetValue(threads) };
            var result = EngineBenchmark.Run(options, console.Error, ct);
            console.Out.WriteLine(p.GetValue(json) ? result.ToJson() : result.ToTable());
            return Task.FromResult(0);
        }));
        return command;
    }
}
