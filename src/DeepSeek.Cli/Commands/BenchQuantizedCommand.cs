using System.CommandLine;
using DeepSeek.Moe.Benchmarking;
using DeepSeek.Moe.Quantization;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek bench quantized</c>: fp32, fp16, int8 and int4 copies of one bundle side by side.</summary>
internal static class BenchQuantizedCommand
{
    public static Command Create(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (its `ratio` is fp32 bytes over int4 bytes) instead of a table." };
        var model = new Option<DirectoryInfo?>("--model") { Description = "An fp32 bundle to measure (default: the demo bundle, written for the run)." };
        var batch = new Option<int>("--batch") { Description = "Rows per forward pass.", DefaultValueFactory = _ => 1024 };
        var iterations = new Option<int>("--iterations") { Description = "Timed passes per precision (the median is reported).", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per session (0: ONNX Runtime's default).", DefaultValueFactory = _ => 0 };
        var blockSize = new Option<int>("--block-size") { Description = "Quantization block size of the int8 and int4 copies.", DefaultValueFactory = _ => QuantizationOptions.DefaultBlockSize };
        var gate = new Option<bool>("--gate") { Description = "Convert the gate too." };
        var command = new Command("quantized", "Bytes on disk, rows/s, output error and routing of fp32, fp16, int8 and int4 copies of one bundle on the same rows.")
        {
            json, model, batch, iterations, threads, blockSize, gate,
        };
        command.SetAction((p, ct) => console.GuardAsync(() =>
        {
            var options = new QuantizedBenchmarkOptions
            {
                Run = new EngineBenchmarkOptions { BatchSize = p.GetValue(batch), Iterations = p.GetValue(iterations), Threads = p.GetValue(threads) },
                Model = p.GetValue(model)?.FullName,
                BlockSize = p.GetValue(blockSize),
                Gate = p.GetValue(gate),
            };
            var result = QuantizedBenchmark.Run(options, console.Error, ct);
            console.Out.WriteLine(p.GetValue(json) ? result.ToJson() : result.ToTable());
            return Task.FromResult(0);
        }));
        return command;
    }
}
