using System.Collections.Concurrent;
using DeepSeek.Moe.Engine;

namespace DeepSeek.Moe.Tests.Engine;

public sealed class SharedLoopTests
{
    [Fact]
    public void EveryItemRunsOnce_WithHelpersOnThePool()
    {
        var runs = new int[1000];
        SharedLoop.For(runs.Length, parallelism: 4, () => 0, (i, _) =>
        {
            Interlocked.Increment(ref runs[i]);
            Thread.SpinWait(2000);
        });

        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void HelpersThatNeverStart_AreNotWaitedFor_TheCallerDoesEverything()
    {
        // A thread pool with every thread blocked: queued helpers would not start until it grows.
        var neverStarted = new List<Action>();
        int caller = Environment.CurrentManagedThreadId;
        var ranOn = new ConcurrentBag<int>();

        SharedLoop.For(16, parallelism: 4, () => 0, (i, _) => ranOn.Add(Environment.CurrentManagedThreadId), startHelper: neverStarted.Add);

        Assert.Equal(3, neverStarted.Count);
        Assert.Equal(16, ranOn.Count);
        Assert.All(ranOn, t => Assert.Equal(caller, t));

        // A helper that starts after the loop ended finds nothing to do.
        neverStarted.ForEach(h => h());
        Assert.Equal(16, ranOn.Count);
    }

    [Fact]
    public void ItemsAHelperTook_AreWaitedFor()
    {
        using var helperHasItem = new ManualResetEventSlim();
        int finished = 0;
        Thread? helper = null;
        SharedLoop.For(2, parallelism: 2, () => 0, (i, _) =>
        {
            if (Environment.CurrentManagedThreadId == helper?.ManagedThreadId)
            {
                helperHasItem.Set();
                Thread.Sleep(200);
            }
            else
            {
                helperHasItem.Wait(TimeSpan.FromSeconds(10));
            }

            Interlocked.Increment(ref finished);
        }, startHelper: take =>
        {
            helper = new Thread(() => take()) { IsBackground = true };
            helper.Start();
            Assert.True(SpinWait.SpinUntil(() => helperHasItem.IsSet, TimeSpan.FromSeconds(10)));
        });

        Assert.Equal(2, Volatile.Read(ref finished));
    }

    [Fact]
    public void TheFirstFailure_IsThrownAsIs()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            SharedLoop.For(100, parallelism: 3, () => 0, (i, _) =>
            {
                if (i == 7)
                {
                    throw new InvalidOperationException("item 7");
                }
            }));
        Assert.Equal("item 7", e.Message);
    }
}
