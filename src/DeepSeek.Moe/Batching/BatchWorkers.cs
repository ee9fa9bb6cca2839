using System.Diagnostics;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// The threads that run the batches of one or more coalescers. Shared by the expert batchers of one engine, they
/// cap how many batches run at once, and a worker that finishes a batch takes the next one itself: the fullest
/// batch that may go, so on a busy instance the cores run the fullest batches first instead of taking turns with
/// nearly empty ones. A batcher whose rows arrived while every worker was busy may go as soon as a worker is free,
/// without its delay, and one whose oldest call has waited longer than <see cref="DefaultStarvationLimit"/> goes
/// first whatever it holds, so no kernel starves. Workers are started when calls arrive and end after a short idle
/// time. A coalescer given no shared workers has one of its own. Thread-safe.
/// </summary>
public sealed class BatchWorkers
{
    /// <summary>How long a batcher's oldest call may be passed over for fuller batches.</summary>
    public static readonly TimeSpan DefaultStarvationLimit = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);
    private readonly int _count;
    private readonly bool _shared;
    private readonly string _threadName;
    private readonly long _starvationTicks;
    private readonly object _lock = new();
    private readonly List<IBatchQueue> _queues = [];
    private int _threads;
    private int _busy;

    /// <summary>Initializes workers to be shared by the batchers of one engine.</summary>
    /// <param name="count">How many batches may run at once (at least 1).</param>
    public BatchWorkers(int count)
        : this(count, DefaultStarvationLimit)
    {
    }

    /// <summary>Initializes shared workers with another starvation limit.</summary>
    /// <param name="count">How many batches may run at once (at least 1).</param>
    /// <param name="starvationLimit">How long a batcher's oldest call may be passed over for fuller batches.</param>
    internal BatchWorkers(int count, TimeSpan starvationLimit)
        : this(count, starvationLimit, shared: true, "moe-batch-worker")
    {
    }

    private BatchWorkers(int count, TimeSpan starvationLimit, bool shared, string threadName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
        _shared = shared;
        _threadName = threadName;
        _starvationTicks = (long)(starvationLimit.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Gets how many batches run now.</summary>
    internal int Busy
    {
        get
        {
            lock (_lock)
            {
                return _busy;
            }
        }
    }

    /// <summary>One worker for one coalescer alone: its batches wait their delay even right after a run of its own.</summary>
    /// <param name="threadName">The name of the worker's thread.</param>
    /// <returns>The worker.</returns>
    internal static BatchWorkers Private(string threadName) => new(1, DefaultStarvationLimit, shared: false, threadName);

    /// <summary>Adds a queue whose batches these workers run.</summary>
    /// <param name="queue">The queue.</param>
    internal void Add(IBatchQueue queue)
    {
        lock (_lock)
        {
            _queues.Add(queue);
        }
    }

    /// <summary>Tells the workers that a queue gained a call; called outside the queue's own lock.</summary>
    /// <param name="queue">The queue.</param>
    internal void Signal(IBatchQueue queue)
    {
        lock (_lock)
        {
            if (_shared && _busy == _count)
            {
                queue.InLine = true;
            }

            if (_threads > _busy)
            {
                // A worker is idle or about to look: let it look again.
                Monitor.Pulse(_lock);
            }
            else if (_threads < _count)
            {
                // A thread of its own: batches block, and blocking thread-pool threads would starve the callers'
                // continuations. It serves every caller, so it does not take this caller's execution context along.
                _threads++;
                new Thread(Work) { IsBackground = true, Name = _threadName }.UnsafeStart();
            }
        }
    }

    private void Work()
    {
        lock (_lock)
        {
            while (true)
            {
                long now = Stopwatch.GetTimestamp();
                var next = Choose(now, out long readyAt, out bool anyWaiting);
                if (next is not null)
                {
                    var batch = next.Take();
                    next.Running = true;
                    next.InLine = false;
                    _busy++;
                    Monitor.Exit(_lock);
                    try
                    {
                        batch.Run();
                    }
                    finally
                    {
                        Monitor.Enter(_lock);
                        _busy--;
                        next.Running = false;
                    }

                    continue;
                }

                if (!anyWaiting)
                {
                    // Linger briefly when idle, then end.
                    if (!Monitor.Wait(_lock, Linger) && !AnyWaiting())
                    {
                        _threads--;
                        return;
                    }

                    continue;
                }

                // Monitor waits in whole milliseconds: round up, or a sub-millisecond rest would spin.
                Monitor.Wait(_lock, Math.Max(1, (int)Math.Ceiling((readyAt - now) * 1000.0 / Stopwatch.Frequency)));
            }
        }
    }

    // Under the lock: the queue whose batch goes next (the oldest starved one, else the fullest), or null and the
    // earliest time one may go.
    private IBatchQueue? Choose(long now, out long readyAt, out bool anyWaiting)
    {
        IBatchQueue? best = null;
        bool bestStarved = false;
        long bestSince = 0;
        int bestRows = 0;
        readyAt = long.MaxValue;
        anyWaiting = false;
        foreach (var q in _queues)
        {
            if (q.Running || !q.Poll(now, out int rows, out long since, out long at))
            {
                continue;
            }

            anyWaiting = true;
            if (at > now)
            {
                readyAt = Math.Min(readyAt, at);
                continue;
            }

            bool starved = now - since >= _starvationTicks;
            bool better = best is null
                || (starved && (!bestStarved || since < bestSince))
                || (!starved && !bestStarved && rows > bestRows);
            if (better)
            {
                best = q;
                bestStarved = starved;
                bestSince = since;
                bestRows = rows;
            }
        }

        return best;
    }

    private bool AnyWaiting()
    {
        long now = Stopwatch.GetTimestamp();
        return _queues.Exists(q => q.Poll(now, out _, out _, out _));
    }
}

/// <summary>A coalescer's queue as its workers see it; every member is used under the workers' lock.</summary>
internal interface IBatchQueue
{
    /// <summary>Gets or sets a value indicating whether a batch of this queue runs now.</summary>
    bool Running { get; set; }

    /// <summary>Gets or sets a value indicating whether calls arrived while every shared worker was busy, so the next batch need not wait its delay.</summary>
    bool InLine { get; set; }

    /// <summary>Looks at the calls waiting.</summary>
    /// <param name="now">The time (<see cref="Stopwatch.GetTimestamp"/>).</param>
    /// <param name="rows">The rows waiting.</param>
    /// <param name="since">When the oldest waiting call arrived.</param>
    /// <param name="readyAt">When the batch may go (at or before <paramref name="now"/>: now).</param>
    /// <returns>Whether any call waits.</returns>
    bool Poll(long now, out int rows, out long since, out long readyAt);

    /// <summary>Takes the next batch out of the queue.</summary>
    /// <returns>The batch, to be run outside the workers' lock.</returns>
    IBatchRun Take();
}

/// <summary>A batch taken from a queue: runs it and answers its callers, never throwing.</summary>
internal interface IBatchRun
{
    /// <summary>Runs the batch and answers its callers.</summary>
    void Run();
}
