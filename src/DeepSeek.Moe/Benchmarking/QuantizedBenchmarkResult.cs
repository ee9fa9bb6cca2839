using System.Globalization;
using System.Text;
using System.Text.Json;
using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>The figures of one <see cref="QuantizedBenchmark"/> run, with the machine they were measured on.</summary>
/// <param name="Options">The options of the run.</param>
/// <param name="Model">The source bundle, described.</param>
/// <param name="Cases">fp32, fp16, int8 and int4, in that order.</param>
/// <param name="Machine">The machine.</param>
public sealed record QuantizedBenchmarkResult(QuantizedBenchmarkOptions Options, string Model, IReadOnlyList<QuantizedBenchmarkCase> Cases, MachineInfo Machine)
{
    /// <summary>Gets the headline ratio: the fp32 bundle's bytes on disk over the int4 bundle's.</summary>
    public double Ratio => (double)Case(WeightPrecisions.Fp32).Bytes / Case(WeightPrecisions.Int4).Bytes;

    /// <summary>Gets the fp32 bundle's bytes over the int8 bundle's.</summary>
    public double Int8Ratio => (double)Case(WeightPrecisions.Fp32).Bytes / Case(WeightPrecisions.Int8).Bytes;

    /// <summary>Gets the int4 engine's rows/s over the fp32 engine's.</summary>
    public double Int4Speed => Case(WeightPrecisions.Int4).Timing.RowsPerSecond / Case(WeightPrecisions.Fp32).Timing.RowsPerSecond;

    /// <summary>Gets the int8 engine's rows/s over the fp32 engine's.</summary>
    public double Int8Speed => Case(WeightPrecisions.Int8).Timing.RowsPerSecond / Case(WeightPrecisions.Fp32).Timing.RowsPerSecond;

    /// <summary>Gets one precision's figures.</summary>
    /// <param name="precision">The precision.</param>
    /// <returns>Its case.</returns>
    public QuantizedBenchmarkCase Case(string precision) => Cases.Single(c => c.Precision == precision);

    /// <summary>Formats a human-readable table with the ratios under it.</summary>
    /// <returns>The table, lines separated by <c>\n</c>.</returns>
    public string ToTable()
    {
        var o = Options.Run;
        long fp32 = Case(WeightPrecisions.Fp32).Bytes;
        var sb = new StringBuilder();
        Line(sb, $"Quantization benchmark: {Model}");
        Line(sb, $"batch {o.BatchSize}, block size {Options.BlockSize}, gate {(Options.Gate ? "converted" : "fp32")}, threads {(o.Threads == 0 ? "ort-default" : o.Threads)}; errors and routing against fp32 on the same batch and seed");
        Line(sb, $"Machine: {Machine.Description}");
        Line(sb, $"{"precision",-9} {"what",-36} {"bytes",12} {"of fp32",8} {"median ms",10} {"rows/s",10} {"max |err|",10} {"mean |err|",11} {"same experts",13}");
        foreach (var c in Cases)
        {
            var a = c.Accuracy;
            Line(sb, $"{c.Precision,-9} {c.Timing.Description,-36} {c.Bytes,12:N0} {100.0 * c.Bytes / fp32,7:F1}% {c.Timing.MedianMilliseconds,10:F2} {c.Timing.RowsPerSecond,10:N0} {(a is null ? "-" : a.MaxAbsError.ToString("G3", CultureInfo.InvariantCulture)),10} {(a is null ? "-" : a.MeanAbsError.ToString("G3", CultureInfo.InvariantCulture)),11} {(a is null ? "-" : (a.RoutingAgreement * 100).ToString("F2", CultureInfo.InvariantCulture) + "%"),13}");
        }

        Line(sb, $"bytes fp32/int4 {Ratio:F2}x   fp32/int8 {Int8Ratio:F2}x   rows/s int4/fp32 {Int4Speed:F2}x   int8/fp32 {Int8Speed:F2}x");
        return sb.ToString();
    }

    /// <summary>Formats one JSON object: <c>ratio</c> (fp32 bytes over int4 bytes, the headline), the other ratios, every case, the options and the machine.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "quantized");
            w.WriteNumber("ratio", Math.Round(Ratio, 3));
            w.WriteNumber("int8Ratio", Math.Round(Int8Ratio, 3));
            w.WriteNumber("int4Speed", Math.Round(Int4Speed, 3));
            w.WriteNumber("int8Speed", Math.Round(Int8Speed, 3));
            w.WriteString("model", Model);
            w.WriteStartObject("bytes");
            foreach (var c in Cases)
            {
                w.WriteNumber(c.Precision, c.Bytes);
            }

            w.WriteEndObject();
            w.WriteStartObject("rowsPerSecond");
            foreach (var c in Cases)
            {
                w.WriteNumber(c.Precision, Math.Round(c.Timing.RowsPerSecond, 1));
            }

            w.WriteEndObject();
            w.WriteStartArray("cases");
            foreach (var c in Cases)
            {
                WriteCase(w, c);
            }

            w.WriteEndArray();
            w.WriteStartObject("options");
            w.WriteNumber("batchSize", Options.Run.BatchSize);
            w.WriteNumber("blockSize", Options.BlockSize);
            w.WriteBoolean("gate", Options.Gate);
            w.WriteNumber("threads", Options.Run.Threads);
            w.WriteNumber("warmupIterations", Options.Run.WarmupIterations);
            w.WriteNumber("iterations", Options.Run.Iterations);
            w.WriteNumber("seed", Options.Run.Seed);
            w.WriteEndObject();
            Machine.WriteJson(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCase(Utf8JsonWriter w, QuantizedBenchmarkCase c)
    {
        w.WriteStartObject();
        w.WriteString("precision", c.Precision);
        w.WriteString("description", c.Timing.Description);
        w.WriteNumber("bytes", c.Bytes);
        w.WriteNumber("iterations", c.Timing.Iterations);
        w.WriteNumber("medianMs", Math.Round(c.Timing.MedianMilliseconds, 4));
        w.WriteNumber("minMs", Math.Round(c.Timing.MinMilliseconds, 4));
        w.WriteNumber("rowsPerSecond", Math.Round(c.Timing.RowsPerSecond, 1));
        if (c.Accuracy is { } a)
        {
            w.WriteNumber("maxAbsError", a.MaxAbsError);
            w.WriteNumber("meanAbsError", a.MeanAbsError);
            w.WriteNumber("meanAbsOutput", a.MeanAbsOutput);
            w.WriteNumber("routingAgreement", Math.Round(a.RoutingAgreement, 6));
        }

        w.WriteEndObject();
    }

    private static void Line(StringBuilder sb, FormattableString text) =>
        sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
