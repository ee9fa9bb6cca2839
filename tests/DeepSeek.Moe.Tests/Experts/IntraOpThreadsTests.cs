using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Tests.Experts;

public sealed class IntraOpThreadsTests
{
    [Theory]
    [InlineData(3, 4, 64, 3)]     // configured: kept
    [InlineData(0, 4, 64, 4)]     // a 4-CPU container on a 64-CPU host: 4, not ONNX Runtime's host-sized pool
    [InlineData(0, 1, 2, 1)]      // pinned to one CPU
    [InlineData(0, 64, 64, 0)]    // unrestricted: ONNX Runtime's own default
    [InlineData(0, 4, null, 0)]   // the machine's count unknown: ONNX Runtime's own default
    public void Choose_CapsOnlyARestrictedProcess(int configured, int usable, int? online, int expected)
    {
        Assert.Equal(expected, IntraOpThreads.Choose(configured, usable, online));
    }

    [Theory]
    [InlineData("0-1\n", 2)]
    [InlineData("0", 1)]
    [InlineData("0-3,8-11,16", 9)]
    [InlineData("0-63", 64)]
    public void CountCpuList_CountsRangesAndSingles(string list, int expected)
    {
        Assert.Equal(expected, IntraOpThreads.CountCpuList(list));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-b")]
    [InlineData("3-1")]
    [InlineData("0-1-2")]
    public void CountCpuList_NotAList_IsUnknown(string list)
    {
        Assert.Null(IntraOpThreads.CountCpuList(list));
    }

    [Fact]
    public void For_OnThisMachine_NeverAsksForMoreThanTheProcessMayUse()
    {
        int threads = IntraOpThreads.For(0);

        Assert.InRange(threads, 0, Environment.ProcessorCount);
        Assert.Equal(5, IntraOpThreads.For(5));
    }
}
