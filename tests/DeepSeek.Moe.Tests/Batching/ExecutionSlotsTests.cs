using System.Collections.Concurrent;
using DeepSeek.Moe.Batching;

namespace DeepSeek.Moe.Tests.Batching;

public sealed class ExecutionSlotsTests
{
    [Fact]
    public void FreeSlot_GoesToTheWaiterHoldingTheMostRows_NotTheFirstInLine() =>
        Assert.Equal(["large", "small"], TurnsAfterSmallThenLargeWait(TimeSpan.FromMinutes(5), smallWaitsFirstFor: TimeSpan.Zero));

    [Fact]
    public void WaiterPassedOverPastTheStarvationLimit_GoesFirst() =>
        Assert.Equal(["small", "large"], TurnsAfterSmallThenLargeWait(TimeSpan.FromMilliseconds(20), smallWaitsFirstFor: TimeSpan.FromMilliseconds(40)));

    [Fact]
    public void AtMostCountRunAtOnce()
    {
        var slots = new ExecutionSlots(2);
        int running = 0, peak = 0;
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            for (int n = 0; n < 20; n++)
            {
                slots.Acquire(() => i);
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                Thread.Sleep(1);
                Interlocked.Decrement(ref running);
                slots.Release();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));

        Assert.Equal(2, peak);
        Assert.Equal(0, slots.Waiting);
        Assert.True(slots.Available);
    }

    // One slot, held; a waiter with 1 row queues, then (after the given wait) one with 9 rows; the slot is released.
    // Returns the order in which the two got it.
    private static string[] TurnsAfterSmallThenLargeWait(TimeSpan starvationLimit, TimeSpan smallWaitsFirstFor)
    {
        var slots = new ExecutionSlots(1, starvationLimit);
        slots.Acquire(() => 0);
        var order = new ConcurrentQueue<string>();
        var small = Waiter(slots, "small", rows: 1, order);
        WaitUntil(() => slots.Waiting == 1);
        Thread.Sleep(smallWaitsFirstFor);
        var large = Waiter(slots, "large", rows: 9, order);
        WaitUntil(() => slots.Waiting == 2);

        slots.Release();

        Assert.True(small.Join(TimeSpan.FromSeconds(10)));
        Assert.True(large.Join(TimeSpan.FromSeconds(10)));
        return [.. order];
    }

    // The waiter holds its slot only long enough to record its turn.
    private static Thread Waiter(ExecutionSlots slots, string name, int rows, ConcurrentQueue<string> order)
    {
        var t = new Thread(() =>
        {
            slots.Acquire(() => rows);
            order.Enqueue(name);
            slots.Release();
        })
        { IsBackground = true };
        t.Start();
        return t;
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

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
