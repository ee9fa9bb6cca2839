using System.Diagnostics;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// Execution slots shared by the batchers of one engine: at most <c>count</c> batches run at once. A batcher that
/// finds every slot taken waits in line with the rows it holds, and keeps collecting rows while it waits; a slot
/// that comes free goes to the waiting batcher holding the most rows, so on a busy instance the cores run the
/// fullest batches first instead of taking turns with nearly empty ones. A batcher that has waited longer than
/// <see cref="DefaultStarvationLimit"/> goes first whatever it holds, so no kernel starves. Thread-safe.
/// </summary>
public sealed class ExecutionSlots
{
    /// <summary>How long a waiting batcher may be passed over for fuller ones.</summary>
    public static readonly TimeSpan DefaultStarvationLimit = TimeSpan.FromMilliseconds(50);

    private readonly long _starvationTicks;
    private readonly object _lock = new();
    private readonly List<Waiter> _waiters = [];
    private int _free;

    /// <summary>Initializes the slots.</summary>
    /// <param name="count">How many batches may run at once (at least 1).</param>
    public ExecutionSlots(int count)
        : this(count, DefaultStarvationLimit)
    {
    }

    /// <summary>Initializes the slots with another starvation limit.</summary>
    /// <param name="count">How many batches may run at once (at least 1).</param>
    /// <param name="starvationLimit">How long a waiter may be passed over for fuller ones.</param>
    internal ExecutionSlots(int count, TimeSpan starvationLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _free = count;
        _starvationTicks = (long)(starvationLimit.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Gets a value indicating whether a slot is free and nobody waits for one.</summary>
    public bool Available
    {
        get
        {
            lock (_lock)
            {
                return _free > 0 && _waiters.Count == 0;
            }
        }
    }

    /// <summary>Gets how many callers wait for a slot.</summary>
    internal int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Blocks until the caller holds a slot.</summary>
    /// <param name="queuedRows">The rows the caller holds now; called whenever a slot is handed out, under this object's lock, so it must not lock.</param>
    public void Acquire(Func<int> queuedRows)
    {
        ArgumentNullException.ThrowIfNull(queuedRows);
        Waiter waiter;
        lock (_lock)
        {
            if (_free > 0 && _waiters.Count == 0)
            {
                _free--;
                return;
            }

            waiter = new Waiter(queuedRows, Stopwatch.GetTimestamp());
            _waiters.Add(waiter);
            HandOut();
        }

        // Each waiter sleeps on its own monitor, so a freed slot wakes only the batcher it goes to.
        lock (waiter)
        {
            while (!waiter.Granted)
            {
                Monitor.Wait(waiter);
            }
        }
    }

    /// <summary>Gives a slot back: the next waiter, if any, gets it.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _free++;
            HandOut();
        }
    }

    // Under the lock.
    private void HandOut()
    {
        while (_free > 0 && _waiters.Count > 0)
        {
            long now = Stopwatch.GetTimestamp();
            int best = 0;
            bool bestStarved = now - _waiters[0].Since >= _starvationTicks;
            int bestRows = _waiters[0].Rows();
            for (int i = 1; i < _waiters.Count; i++)
            {
                // Waiters are in arrival order: the oldest starved one wins, else the one holding the most rows.
                bool starved = now - _waiters[i].Since >= _starvationTicks;
                int rows = _waiters[i].Rows();
                if (!bestStarved && (starved || rows > bestRows))
                {
                    best = i;
                    bestStarved = starved;
                    bestRows = rows;
                }
            }

            var chosen = _waiters[best];
            _waiters.RemoveAt(best);
            _free--;
            lock (chosen)
            {
                chosen.Granted = true;
                Monitor.Pulse(chosen);
            }
        }
    }

    private sealed class Waiter(Func<int> rows, long since)
    {
        public Func<int> Rows { get; } = rows;

        public long Since { get; } = since;

        public bool Granted { get; set; }
    }
}
