using System.Globalization;
using System.Text.Json;
using DeepSeek.Moe.Benchmarking;

namespace DeepSeek.Cli.Benchmarking;

/// <summary>What <c>deepseek bench pipeline</c> measured, side by side in one run.</summary>
internal sealed record PipelineBenchmarkResult(
    LatencyStats HttpSingleRow,
    LatencyStats EngineSingleRow,
    int JobRows,
    double JobSeconds,
    double EngineSeconds,
    long JobStorageOperations,
    double StorageOperationsPerRequest,
    int Cores)
{
    public double JobRowsPerSecond => JobRows / JobSeconds;

    public double EngineRowsPerSecond => JobRows / EngineSeconds;

    public double StorageOperationsPerRow => (double)JobStorageOperations / JobRows;

    /// <summary>The headline: in-process engine throughput over pipeline throughput on the same rows.</summary>
    public double Ratio => EngineRowsPerSecond / JobRowsPerSecond;

    public string ToTable() => string.Create(CultureInfo.InvariantCulture, $"""
        pipeline benchmark ({Cores} cores, Azurite on loopback, worker in-process)
        single-row latency      p50 {HttpSingleRow.P50,8:F1} ms   p99 {HttpSingleRow.P99,8:F1} ms   (HTTP sync infer, {HttpSingleRow.Count} requests, {StorageOperationsPerRequest:F1} storage operations each incl. polling)
        in-process engine       p50 {EngineSingleRow.P50,8:F3} ms   p99 {EngineSingleRow.P99,8:F3} ms   (same rows, same seeds)
        job of {JobRows} rows      {JobRowsPerSecond,10:F0} rows/s   ({JobSeconds:F1} s, {StorageOperationsPerRow:F2} storage operations per row)
        in-process engine       {EngineRowsPerSecond,10:F0} rows/s   (same rows in the job's chunks)
        engine / pipeline       {Ratio,10:F1}x
        """);

    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["benchmark"] = "pipeline",
        ["ratio"] = Ratio,
        ["httpSingleRowP50Ms"] = HttpSingleRow.P50,
        ["httpSingleRowP99Ms"] = HttpSingleRow.P99,
        ["engineSingleRowP50Ms"] = EngineSingleRow.P50,
        ["engineSingleRowP99Ms"] = EngineSingleRow.P99,
        ["jobRows"] = JobRows,
        ["jobRowsPerSecond"] = JobRowsPerSecond,
        ["engineRowsPerSecond"] = EngineRowsPerSecond,
        ["storageOperationsPerRow"] = StorageOperationsPerRow,
        ["storageOperationsPerSingleRowRequest"] = StorageOperationsPerRequest,
        ["cores"] = Cores,
    });
}
