using System.Text.Json;
using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Benchmarking;

namespace DeepSeek.Moe.Tests.Benchmarking;

public sealed class BatchingBenchmarkTests
{
    [Fact]
    public async Task ShortRun_MeasuresEveryMode_BatchedAnswersEqualUnbatched_JsonCarriesRatio()
    {
        using var folder = new TempFolder();
        var options = new BatchingBenchmarkOptions
        {
            Callers = 8,
            Experts = 4,
            DModel = 32,
            DFf = 64,
            Duration = TimeSpan.FromMilliseconds(400),
            Warmup = TimeSpan.FromMilliseconds(100),
            Rounds = 2,
            Batching = new BatchingOptions { MaxRows = 16, MaxDelay = TimeSpan.FromMilliseconds(1) },
            WorkDirectory = folder.Path,
        };

        var result = await BatchingBenchmark.RunAsync(options, progress: null, CancellationToken.None);

        Assert.True(result.Unbatched.Rows > 0 && result.PerKernel.Rows > 0 && result.Batched.Rows > 0, result.ToTable());
        Assert.True(result.Batched.KernelRuns > 0 && result.PerKernel.KernelRuns > 0, result.ToTable());
        Assert.True(result.MaxAbsDiff <= 1e-5, $"batched answers differ by {result.MaxAbsDiff}");
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal("batching", json.RootElement.GetProperty("benchmark").GetString());
        Assert.Equal(Math.Round(result.Ratio, 3), json.RootElement.GetProperty("ratio").GetDouble(), 3);
        Assert.Equal(Math.Round(result.PerKernelRatio, 3), json.RootElement.GetProperty("perKernelRatio").GetDouble(), 3);
        Assert.Contains("throughput layer-batched/unbatched", result.ToTable(), StringComparison.Ordinal);
        Assert.Contains("throughput per-kernel/unbatched", result.ToTable(), StringComparison.Ordinal);
        Assert.Equal(2, result.RoundRatios.Count);
        Assert.All(result.RoundRatios, r => Assert.True(double.IsFinite(r.Layer) && r.Layer >= 0 && double.IsFinite(r.PerKernel) && r.PerKernel >= 0, result.ToTable()));
        Assert.Equal(2, json.RootElement.GetProperty("rounds").GetArrayLength());
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }
}
