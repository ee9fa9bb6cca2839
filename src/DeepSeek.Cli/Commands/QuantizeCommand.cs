using System.CommandLine;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Quantization;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek model quantize</c>: an int8, int4 or fp16 copy of a bundle, with its size and error against the source.</summary>
internal static class QuantizeCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new Argument<DirectoryInfo>("bundle") { Description = "The fp32 bundle folder to convert." };
        var bits = new Option<int?>("--bits") { Description = "8 or 4: block-quantized weights run by ONNX Runtime's com.microsoft.MatMulNBits." };
        var fp16 = new Option<bool>("--fp16") { Description = "Store the weights as float16 (cast to float in the graph) instead." };
        var blockSize = new Option<int>("--block-size") { Description = "Weights per quantization block along K (a power of two, 16-256).", DefaultValueFactory = _ => QuantizationOptions.DefaultBlockSize };
        var symmetric = new Option<bool>("--symmetric") { Description = "Symmetric blocks (no zero points stored)." };
        var gate = new Option<bool>("--gate") { Description = "Convert the gate's weight too (routing then reads converted logits)." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The bundle folder to create (must be empty or absent).", Required = true };
        var sample = new Option<int>("--sample") { Description = "Random rows on which to compare outputs and routing with the source (0: skip).", DefaultValueFactory = _ => 1024 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sample rows and of both passes' routing noise.", DefaultValueFactory = _ => 1 };
        var command = new Command("quantize", "Write an int8, int4 (--bits) or fp16 (--fp16) copy of a bundle and report its size and error against the source.")
        {
            source, bits, fp16, blockSize, symmetric, gate, outDir, sample, seed,
        };
        command.SetAction(p => console.Guard(() =>
        {
            var options = new QuantizationOptions
            {
                Precision = Precision(p.GetValue(bits), p.GetValue(fp16)),
                BlockSize = p.GetValue(blockSize),
                Symmetric = p.GetValue(symmetric),
                Gate = p.GetValue(gate),
            };
            if (p.GetValue(sample) < 0)
            {
                throw new CliUsageException($"--sample must be 0 or more rows, not {p.GetValue(sample)}");
            }

            options.Validate();
            var bundle = ModelBundle.Load(p.GetValue(source)!.FullName);
            var converted = BundleQuantizer.Quantize(bundle, p.GetValue(outDir)!.FullName, options);
            var report = QuantizationReport.Create(bundle, converted, p.GetValue(sample), p.GetValue(seed));
            Write(console.Out, report);
            return 0;
        }));
        return command;
    }

    private static string Precision(int? bits, bool fp16) => (bits, fp16) switch
    {
        (null, true) => WeightPrecisions.Fp16,
        (8, false) => WeightPrecisions.Int8,
        (4, false) => WeightPrecisions.Int4,
        (null, false) => throw new CliUsageException("choose --bits 8, --bits 4 or --fp16"),
        (not null, true) => throw new CliUsageException("--bits and --fp16 exclude each other; choose one"),
        _ => throw new CliUsageException($"--bits must be 8 or 4, not {bits}"),
    };

    private static void Write(TextWriter w, QuantizationReport report)
    {
        var (source, converted) = (report.Source.Manifest, report.Converted.Manifest);
        var q = converted.Quantization!;
        w.WriteLine($"Wrote {converted.Precision} bundle '{converted.Id}' version {converted.Version} to {report.Converted.Directory}");
        string blocks = q.BlockSize is { } b
            ? $"com.microsoft.MatMulNBits, {WeightPrecisions.BitsOf(converted.Precision)}-bit blocks of {b} along K, {(q.Symmetric ? "symmetric" : "asymmetric")}, fp32 scales"
            : "float16 initializers cast to float before each MatMul";
        w.WriteLine($"  weights   {blocks}; gate {(q.Gate ? $"{converted.Precision} too" : "fp32, copied from the source")}");
        w.WriteLine(ModelCommand.Invariant($"  size      {source.Precision} {report.Source.Files.Count} files {report.SourceBytes,14:N0} bytes"));
        w.WriteLine(ModelCommand.Invariant($"            {converted.Precision} {report.Converted.Files.Count} files {report.ConvertedBytes,14:N0} bytes  {report.SizeShare * 100:F1}% of {source.Precision} ({1 / report.SizeShare:F2}x smaller)"));
        if (report.Accuracy is { } a)
        {
            w.WriteLine(ModelCommand.Invariant($"  accuracy  {a.Rows} random rows (seed {report.Seed}), ONNX Runtime engine, same routing noise for both"));
            w.WriteLine(ModelCommand.Invariant($"            output |error| max {a.MaxAbsError:G4}, mean {a.MeanAbsError:G4} (mean |output| {a.MeanAbsOutput:G4}, {a.MeanAbsError / a.MeanAbsOutput * 100:F2}% of it)"));
            w.WriteLine(ModelCommand.Invariant($"            rows whose top-{converted.Routing.TopK} experts differ: {a.RoutingDifferent} of {a.Rows} ({a.RoutingDifferentShare * 100:F2}%)"));
        }
    }
}
