using System.Text.Json;
using DeepSeek.Moe.Benchmarking;

namespace DeepSeek.Moe.Tests.Benchmarking;

public sealed class EngineBenchmarkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private EngineBenchmarkOptions Tiny => new()
    {
        BatchSize = 16, WarmupIterations = 0, Iterations = 3, Experts = 4, TopK = 2, DModel = 16, DFf = 32, Threads = 1,
        WorkDirectory = _folder.Path,
    };

    [Fact]
    public void Run_TinyShape_ReportsEveryCaseAndRemovesItsBundles()
    {
        var progress = new StringWriter();

        var result = EngineBenchmark.Run(Tiny, progress);

        Assert.Equal(["swiglu-sparse", "swiglu-dense", "moe-operator", "demo-sparse", "demo-dense"], result.Cases.Select(c => c.Name));
        Assert.All(result.Cases, c => Assert.True(c.RowsPerSecond > 0 && c.Iterations == 3, c.Name));
        Assert.InRange(result.MaxAbsDiffVsMoeOperator, 0, 1e-4);
        Assert.Equal(result.SwiGluSparse.RowsPerSecond / result.SwiGluDense.RowsPerSecond, result.Ratio, 12);
        Assert.Contains("[5/5] demo-dense", progress.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void ToJson_Result_HasRatioRowsPerSecondAndMachine()
    {
        var result = EngineBenchmark.Run(Tiny with { Iterations = 1 });

        using var json = JsonDocument.Parse(result.ToJson());
        var root = json.RootElement;

        Assert.Equal(Math.Round(result.Ratio, 3), root.GetProperty("ratio").GetDouble());
        Assert.Equal(Math.Round(result.SparseVsMoeOperator, 3), root.GetProperty("sparseVsMoeOperator").GetDouble());
        Assert.Equal(5, root.GetProperty("cases").GetArrayLength());
        Assert.True(root.GetProperty("rowsPerSecond").GetProperty("moe-operator").GetDouble() > 0);
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.Contains("moe-operator", result.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TimeBudgetSpent_StopsAfterOneRunPerCase()
    {
        var result = EngineBenchmark.Run(Tiny with { Iterations = 50, TimeBudget = TimeSpan.Zero });

        Assert.All(result.Cases, c => Assert.Equal(1, c.Iterations));
    }

    [Fact]
    public void Run_TopKAboveExperts_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineBenchmark.Run(Tiny with { TopK = 5 }));
    }

    public void Dispose() => _folder.Dispose();
}
