using System.Collections.Concurrent;
using System.Diagnostics;
using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Tests.Batching;

public sealed class BatchWorkersTests
{
    [Fact]
    public void FreeWorker_TakesTheFullestBatch_NotTheOldest() =>
        Assert.Equal(["large", "small"], TurnsAfterSmallThenLargeWait(TimeSpan.FromMinutes(5), smallWaitsFirstFor: TimeSpan.Zero));

    [Fact]
    public void BatchPassedOverPastTheStarvationLimit_GoesFirst() =>
        Assert.Equal(["small", "large"], TurnsAfterSmallThenLargeWait(TimeSpan.FromMilliseconds(20), smallWaitsFirstFor: TimeSpan.FromMilliseconds(40)));

    [Fact]
    public async Task CallsThatWaitedForABusyWorker_GoWithoutWaitingOutTheDelay()
    {
        var workers = new BatchWorkers(1);
        var options = new BatchingOptions { MaxDelay = TimeSpan.FromSeconds(1) };
        using var hold = new ManualResetEventSlim();
        var order = new ConcurrentQueue<string>();
        var holder = new MicroBatcher(new NamedKernel("holder", order, hold), options, workers);
        var waiter = new MicroBatcher(new NamedKernel("waiter", order), options, workers);

        var first = holder.RunAsync([1f], 1, CancellationToken.None);
        WaitUntil(() => workers.Busy == 1);
        var second = waiter.RunAsync([2f], 1, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        hold.Set();
        await Task.WhenAll(first, second);

        // The holder's call waited out the 1 s delay (it found an idle worker); the waiter's call arrived while the
        // only worker was busy, so it went as soon as that worker was free.
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"the waiting call took {clock.Elapsed.TotalMilliseconds:F0} ms after the worker was free");
        Assert.Equal(4f, Assert.Single(await second));
    }

    [Fact]
    public void AtMostCountRunAtOnce()
    {
        var workers = new BatchWorkers(2);
        var order = new ConcurrentQueue<string>();
        var kernel = new NamedKernel("any", order) { Sleep = TimeSpan.FromMilliseconds(1) };
        var batchers = Enumerable.Range(0, 8).Select(_ => new MicroBatcher(kernel, new BatchingOptions { MaxDelay = TimeSpan.Zero }, workers)).ToArray();
        var threads = batchers.Select((b, i) => new Thread(() =>
        {
            for (int n = 0; n < 20; n++)
            {
                Assert.Equal([2f * i], b.RunAsync([i], 1, CancellationToken.None).GetAwaiter().GetResult());
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));

        Assert.Equal(2, kernel.Peak);
        WaitUntil(() => workers.Busy == 0);  // a worker answers its callers before it counts itself free
        Assert.Equal(160, batchers.Sum(b => b.Counts.Calls));
    }

    [Fact]
    public async Task FailingCall_FailsOnlyItsCaller_AndTheSharedWorkersGoOn()
    {
        var workers = new BatchWorkers(1);
        var options = new BatchingOptions { MaxDelay = TimeSpan.FromMilliseconds(20) };
        using var hold = new ManualResetEventSlim();
        var order = new ConcurrentQueue<string>();
        var holder = new MicroBatcher(new NamedKernel("holder", order, hold), options, workers);
        var failing = new MicroBatcher(new NamedKernel("failing", order), options, workers);
        var other = new MicroBatcher(new NamedKernel("other", order), options, workers);

        var held = holder.RunAsync([1f], 1, CancellationToken.None);
        WaitUntil(() => workers.Busy == 1);
        var good = failing.RunAsync([2f], 1, CancellationToken.None);
        var bad = failing.RunAsync([-1f], 1, CancellationToken.None);
        var beside = other.RunAsync([3f], 1, CancellationToken.None);
        hold.Set();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Contains("-1", e.Message, StringComparison.Ordinal);
        Assert.Equal(4f, Assert.Single(await good));
        Assert.Equal(6f, Assert.Single(await beside));
        Assert.Equal(2f, Assert.Single(await held));
        Assert.Equal(8f, Assert.Single(await other.RunAsync([4f], 1, CancellationToken.None)));
    }

    // One worker, held by a batch of a third batcher; a call of 1 row queues, then (after the given wait) one of 9
    // rows on another batcher; the worker is freed. Returns the order in which the two ran.
    private static string[] TurnsAfterSmallThenLargeWait(TimeSpan starvationLimit, TimeSpan smallWaitsFirstFor)
    {
        var workers = new BatchWorkers(1, starvationLimit);
        var options = new BatchingOptions { MaxDelay = TimeSpan.Zero };
        using var hold = new ManualResetEventSlim();
        var order = new ConcurrentQueue<string>();
        var holder = new MicroBatcher(new NamedKernel("holder", order, hold), options, workers);
        var small = new MicroBatcher(new NamedKernel("small", order), options, workers);
        var large = new MicroBatcher(new NamedKernel("large", order), options, workers);

        var held = holder.RunAsync([0f], 1, CancellationToken.None);
        WaitUntil(() => workers.Busy == 1);
        var smallCall = small.RunAsync([1f], 1, CancellationToken.None);
        Thread.Sleep(smallWaitsFirstFor);
        var largeCall = large.RunAsync(new float[9], 9, CancellationToken.None);

        hold.Set();

        Assert.True(Task.WaitAll([held, smallCall, largeCall], TimeSpan.FromSeconds(10)));
        return [.. order.Where(name => name != "holder")];
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            Thread.Sleep(1);
        }
    }

    // Width 1; doubles its input and throws on a row holding -1; records its name when it runs and how many of its
    // runs overlap; optionally blocks until released.
    private sealed class NamedKernel(string name, ConcurrentQueue<string> order, ManualResetEventSlim? hold = null) : IExpertKernel
    {
        private int _running;
        private int _peak;

        public TimeSpan Sleep { get; init; }

        public int Peak => Volatile.Read(ref _peak);

        public int InputWidth => 1;

        public int OutputWidth => 1;

        public void Run(ReadOnlySpan<float> x, int rows, Span<float> y)
        {
            int now = Interlocked.Increment(ref _running);
            int seen;
            while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }

            order.Enqueue(name);
            hold?.Wait(TimeSpan.FromSeconds(30));
            if (x.Contains(-1f))
            {
                Interlocked.Decrement(ref _running);
                throw new InvalidOperationException("row holds -1");
            }

            Thread.Sleep(Sleep);
            for (int i = 0; i < rows; i++)
            {
                y[i] = x[i] * 2;
            }

            Interlocked.Decrement(ref _running);
        }

        public void Dispose()
        {
        }
    }
}
