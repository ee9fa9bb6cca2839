using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Tests.Routing;

public sealed class LoadStatisticsTests
{
    [Fact]
    public void FromIndices_EvenLoad_BalancednessIsOne()
    {
        var stats = LoadStatistics.FromIndices([0, 1, 2, 3, 3, 2, 1, 0], 4);

        Assert.Equal([2L, 2, 2, 2], stats.Activations);
        Assert.Equal(1.0, stats.Balancedness);
    }

    [Fact]
    public void FromIndices_SkewedLoad_BalancednessIsMeanOverMax()
    {
        var stats = LoadStatistics.FromIndices([0, 0, 0, 1], 2);

        Assert.Equal(2.0 / 3.0, stats.Balancedness, 10);
        Assert.Equal(4, stats.Total);
    }

    [Fact]
    public void Add_SumsPerExpert()
    {
        var sum = LoadStatistics.FromIndices([0, 1], 3).Add(LoadStatistics.FromIndices([1, 2], 3));

        Assert.Equal([1L, 2, 1], sum.Activations);
    }
}
