using System.CommandLine;
using DeepSeek.Moe.Benchmarking;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek bench SCENARIO</c>: side-by-side measurements from one run.</summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var bench = new Command("bench", "Measure throughput side by side in one run.");
        bench.Add(Engine(console));
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
