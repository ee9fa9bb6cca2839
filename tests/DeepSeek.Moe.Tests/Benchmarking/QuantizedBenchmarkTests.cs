using System.Text.Json;
using DeepSeek.Moe.Benchmarking;

namespace DeepSeek.Moe.Tests.Benchmarking;

public sealed class QuantizedBenchmarkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private QuantizedBenchmarkOptions Tiny => new()
    {
        Run = new EngineBenchmarkOptions
        {
            BatchSize = 32, WarmupIterations = 0, Iterations = 2, Experts = 4, TopK = 2, DModel = 32, DFf = 64, Threads = 1, WorkDirectory = _folder.Path,
        },
        BlockSize = 16,
    };

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_TinyDemo_MeasuresEveryPrecisionAndRemovesItsBundles()
    {
        var progress = new StringWriter();

        var result = QuantizedBenchmark.Run(Tiny, progress);

        Assert.Equal(["fp32", "fp16", "int8", "int4"], result.Cases.Select(c => c.Precision));
        Assert.Equal((double)result.Case("fp32").Bytes / result.Case("int4").Bytes, result.Ratio, 12);
        Assert.True(result.Case("int4").Bytes < result.Case("int8").Bytes && result.Case("int8").Bytes < result.Case("fp16").Bytes);
        Assert.Null(result.Case("fp32").Accuracy);
        Assert.True(result.Case("int4").Accuracy!.MeanAbsError > result.Case("int8").Accuracy!.MeanAbsError);
        Assert.All(result.Cases, c => Assert.True(c.Timing.RowsPerSecond > 0 && c.Timing.Iterations == 2, c.Precision));
        Assert.Contains("[4/4] int4", progress.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void ToJson_Result_HasRatioBytesAndMachine()
    {
        var result = QuantizedBenchmark.Run(Tiny with { Gate = true });

        using var json = JsonDocument.Parse(result.ToJson());
        var root = json.RootElement;

        Assert.Equal(Math.Round(result.Ratio, 3), root.GetProperty("ratio").GetDouble());
        Assert.Equal(result.Case("int4").Bytes, root.GetProperty("bytes").GetProperty("int4").GetInt64());
        Assert.True(root.GetProperty("options").GetProperty("gate").GetBoolean());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.Contains("gate converted", result.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadBlockSize_ThrowsBeforeWritingAnything()
    {
        var ex = Assert.Throws<ArgumentException>(() => QuantizedBenchmark.Run(Tiny with { BlockSize = 20 }));

        Assert.Contains("block size 20 is not allowed", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }
}
