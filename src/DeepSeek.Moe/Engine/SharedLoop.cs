using System.Runtime.ExceptionServices;

namespace DeepSeek.Moe.Engine;

/// <summary>
/// A parallel loop led by the calling thread: it takes items one at a time, in order, and up to
/// <c>parallelism - 1</c> thread-pool threads help as they become free. Unlike <see cref="Parallel"/>, the caller
/// never waits for a helper that has not started: when the pool is busy (a host whose threads block), the caller
/// does the work alone instead of stalling until the pool grows. It waits only for items a helper has taken.
/// </summary>
internal static class SharedLoop
{
    /// <summary>Runs <paramref name="body"/> for every item in <c>[0, count)</c>.</summary>
    /// <typeparam name="TState">Per-participant state (scratch buffers).</typeparam>
    /// <param name="count">The items.</param>
    /// <param name="parallelism">Participants at most, the caller included (1: the caller alone).</param>
    /// <param name="init">Makes one participant's state, once per participant that takes an item.</param>
    /// <param name="body">Runs one item; items are independent.</param>
    /// <param name="startHelper">Starts a helper; by default on the thread pool (tests pass their own).</param>
    /// <exception cref="Exception">The first exception an item threw, as thrown; no further items are started.</exception>
    public static void For<TState>(int count, int parallelism, Func<TState> init, Action<int, TState> body, Action<Action>? startHelper = null)
    {
        ArgumentNullException.ThrowIfNull(init);
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0)
        {
            return;
        }

        var loop = new Loop<TState>(count, init, body);
        int helpers = Math.Min(parallelism, count) - 1;
        for (int h = 0; h < helpers; h++)
        {
            if (startHelper is null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static l => l.Take(), loop, preferLocal: false);
            }
            else
            {
                startHelper(loop.Take);
            }
        }

        loop.Take();
        loop.WaitForHelpers();
        loop.Error?.Throw();
    }

    private sealed class Loop<TState>(int count, Func<TState> init, Action<int, TState> body)
    {
        private readonly object _lock = new();
        private int _next = -1;
        private int _taking;
        private ExceptionDispatchInfo? _error;

        public ExceptionDispatchInfo? Error => Volatile.Read(ref _error);

        // Counted as taking before the first claim, so the caller waits for every item a helper holds.
        public void Take()
        {
            Interlocked.Increment(ref _taking);
            try
            {
                if (Volatile.Read(ref _next) >= count - 1)
                {
                    return;
                }

                var state = init();
                int i;
                while (Error is null && (i = Interlocked.Increment(ref _next)) < count)
                {
                    body(i, state);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                if (Interlocked.Decrement(ref _taking) == 0)
                {
                    lock (_lock)
                    {
                        Monitor.PulseAll(_lock);
                    }
                }
            }
        }

        public void WaitForHelpers()
        {
            lock (_lock)
            {
                while (Volatile.Read(ref _taking) > 0)
                {
                    Monitor.Wait(_lock);
                }
            }
        }
    }
}
