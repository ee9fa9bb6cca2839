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
        // The holder's call waits out the 1 s delay (it finds the worker idle); the waiter's call arrives while the
        // only worker is busy, so it goes as soon as that worker is free.
        using var held = new HeldWorker(new BatchingOptions { MaxDelay = TimeSpan.FromSeconds(1) });
        var second = held.Batcher("waiter").RunAsync([2f], 1, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        held.Release();
        await Task.WhenAll(held.Held, second);

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
        using var held = new HeldWorker(new BatchingOptions { MaxDelay = TimeSpan.FromMilliseconds(20) });
        var failing = held.Batcher("failing");
        var other = held.Batcher("other");
        var good = failing.RunAsync([2f], 1, CancellationToken.None);
        var bad = failing.RunAsync([-1f], 1, CancellationToken.None);
        var beside = other.RunAsync([3f], 1, CancellationToken.None);
        held.Release();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Contains("-1", e.Message, StringComparison.Ordinal);
        Assert.Equal(4f, Assert.Single(await good));
        Assert.Equal(6f, Assert.Single(await beside));
        Assert.Equal(2f, Assert.Single(await held.Held));
        Assert.Equal(8f, Assert.Single(await other.RunAsync([4f], 1, CancellationToken.None)));
    }

    // One worker, held by a batch of a third batcher; a call of 1 row queues, then (after the given wait) one of 9
    // rows on another batcher; the worker is freed. Returns the order in which the two ran.
    private static string[] TurnsAfterSmallThenLargeWait(TimeSpan starvationLimit, TimeSpan smallWaitsFirstFor)
    {
        using var held = new HeldWorker(new BatchingOptions { MaxDelay = TimeSpan.Zero }, starvationLimit);
        var smallCall = held.Batcher("small").RunAsync([1f], 1, CancellationToken.None);
        Thread.Sleep(smallWaitsFirstFor);
        var largeCall = held.Batcher("large").RunAsync(new float[9], 9, CancellationToken.None);

        held.Release();

        Assert.True(Task.WaitAll([held.Held, smallCall, largeCall], TimeSpan.FromSeconds(10)));
        return [.. held.Order.Where(name => name != "holder")];
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

    // One worker, busy with a call of a "holder" batcher until released; more batchers on the same worker.
    private sealed class HeldWorker : IDisposable
    {
        private readonly ManualResetEventSlim _hold = new();
        private readonly BatchingOptions _options;

        public HeldWorker(BatchingOptions options, TimeSpan? starvationLimit = null)
        {
            _options = options;
            Workers = starvationLimit is { } limit ? new BatchWorkers(1, limit) : new BatchWorkers(1);
            Held = new MicroBatcher(new NamedKernel("holder", Order, _hold), options, Workers).RunAsync([1f], 1, CancellationToken.None);
            WaitUntil(() => Workers.Busy == 1);
        }

        public BatchWorkers Workers { get; }

        public ConcurrentQueue<string> Order { get; } = new();

        public Task<float[]> Held { get; }

        public MicroBatcher Batcher(string name) => new(new NamedKernel(name, Order), _options, Workers);

        public void Release() => _hold.Set();

        public void Dispose() => _hold.Dispose();
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
