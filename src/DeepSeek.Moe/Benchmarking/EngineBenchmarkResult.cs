using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>The figures of one <see cref="EngineBenchmark"/> run, with the machine they were measured on.</summary>
/// <param name="Options">The options of the run.</param>
/// <param name="SwiGluSparse">The engine, sparse top-k, on the SwiGLU bundle.</param>
/// <param name="SwiGluDense">The engine, every expert on every row, on the SwiGLU bundle.</param>
/// <param name="MoeOperator">ONNX Runtime's <c>com.microsoft</c> MoE operator on the same SwiGLU weights.</param>
/// <param name="DemoSparse">The engine, sparse top-k, on the default demo bundle (linear-layernorm-gelu experts).</param>
/// <param name="DemoDense">The engine, dense, on the default demo bundle.</param>
/// <param name="MaxAbsDiffVsMoeOperator">The largest difference between the engine's and the operator's outputs on the benchmark batch.</param>
/// <param name="Machine">The machine.</param>
public sealed record EngineBenchmarkResult(
    EngineBenchmarkOptions Options,
    EngineBenchmarkCase SwiGluSparse,
    EngineBenchmarkCase SwiGluDense,
    EngineBenchmarkCase MoeOperator,
    EngineBenchmarkCase DemoSparse,
    EngineBenchmarkCase DemoDense,
    double MaxAbsDiffVsMoeOperator,
    MachineInfo Machine)
{
    /// <summary>Gets the headline ratio: sparse over dense rows/s on the SwiGLU bundle.</summary>
    public double Ratio => SwiGluSparse.RowsPerSecond / SwiGluDense.RowsPerSecond;

    /// <summary>Gets the engine's sparse rows/s over the MoE operator's.</summary>
    public double SparseVsMoeOperator => SwiGluSparse.RowsPerSecond / MoeOperator.RowsPerSecond;

    /// <summary>Gets sparse over dense rows/s on the demo bundle.</summary>
    public double DemoRatio => DemoSparse.RowsPerSecond / DemoDense.RowsPerSecond;

    /// <summary>Gets every case in table order.</summary>
    public IReadOnlyList<EngineBenchmarkCase> Cases => [SwiGluSparse, SwiGluDense, MoeOperator, DemoSparse, DemoDense];

    /// <summary>Formats a human-readable table with the ratios under it.</summary>
    /// <returns>The table, lines separated by <c>\n</c>.</returns>
    public string ToTable()
    {
        var o = Options;
        var sb = new StringBuilder();
        Line(sb, $"Engine benchmark: batch {o.BatchSize}, {o.Experts} experts, top-{o.TopK}, d_model {o.DModel}, d_ff {o.DFf}, threads {(o.Threads == 0 ? "ort-default" : o.Threads)}");
        Line(sb, $"Machine: {Machine.Description}");
        Line(sb, $"{"case",-16} {"what",-50} {"median ms",10} {"min ms",9} {"rows/s",10} {"n",4}");
        foreach (var c in Cases)
        {
            Line(sb, $"{c.Name,-16} {c.Description,-50} {c.MedianMilliseconds,10:F2} {c.MinMilliseconds,9:F2} {c.RowsPerSecond,10:N0} {c.Iterations,4}");
        }

        Line(sb, $"sparse/dense (swiglu) {Ratio:F2}x   sparse/moe-op {SparseVsMoeOperator:F2}x   sparse/dense (demo) {DemoRatio:F2}x   max |engine - moe-op| {MaxAbsDiffVsMoeOperator:G3}");
        return sb.ToString();
    }

    /// <summary>Formats one JSON object: <c>ratio</c> (sparse/dense, the headline), the other ratios, every case, the options and the machine.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "engine");
            w.WriteNumber("ratio", Math.Round(Ratio, 3));
            w.WriteNumber("sparseVsMoeOperator", Math.Round(SparseVsMoeOperator, 3));
            w.WriteNumber("demoRatio", Math.Round(DemoRatio, 3));
            w.WriteNumber("maxAbsDiffVsMoeOperator", MaxAbsDiffVsMoeOperator);
            w.WriteStartObject("rowsPerSecond");
            foreach (var c in Cases)
            {
                w.WriteNumber(c.Name, Math.Round(c.RowsPerSecond, 1));
            }

            w.WriteEndObject();
            w.WriteStartArray("cases");
            foreach (var c in Cases)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("description", c.Description);
                w.WriteNumber("iterations", c.Iterations);
                w.WriteNumber("medianMs", Math.Round(c.MedianMilliseconds, 4));
                w.WriteNumber("minMs", Math.Round(c.MinMilliseconds, 4));
                w.WriteNumber("rowsPerSecond", Math.Round(c.RowsPerSecond, 1));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("options");
            w.WriteNumber("batchSize", Options.BatchSize);
            w.WriteNumber("experts", Options.Experts);
            w.WriteNumber("topK", Options.TopK);
            w.WriteNumber("dModel", Options.DModel);
            w.WriteNumber("dFf", Options.DFf);
            w.WriteNumber("threads", Options.Threads);
            w.WriteNumber("warmupIterations", Options.WarmupIterations);
            w.WriteNumber("iterations", Options.Iterations);
            w.WriteEndObject();
            Machine.WriteJson(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Line(StringBuilder sb, FormattableString text) =>
        sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
