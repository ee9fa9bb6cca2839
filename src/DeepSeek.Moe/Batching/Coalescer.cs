using System.Diagnostics;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// The queue behind every batcher: concurrent calls are collected and run as one batch by a thread of the
/// coalescer's own. Calls that arrive while a batch runs, or within <see cref="BatchingOptions.MaxDelay"/> of
/// the first call to an idle coalescer, join the next batch of at most <see cref="BatchingOptions.MaxRows"/> rows.
/// A caller cancelled before its batch runs is dropped from it; if a batch fails, its callers are run one by
/// one, so a failure reaches only the caller that caused it. One batch runs at a time; thread-safe.
/// </summary>
/// <typeparam name="TCall">One caller's input.</typeparam>
/// <typeparam name="TResult">One caller's answer.</typeparam>
public abstract class Coalescer<TCall, TResult>
{
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);
    private readonly int _maxRows;
    private readonly ExecutionSlots? _slots;
    private readonly long _maxDelayTicks;
    private readonly string _threadName;
    private readonly object _lock = new();
    private readonly List<Pending> _pending = [];
    private bool _dispatching;
    private long _lastRunEnded;
    private int _lastBatchRows;
    private int _waitingAtRunEnd;
    private int _queuedRows;
    private long _calls;
    private long _runs;

    /// <summary>Initializes the queue.</summary>
    /// <param name="options">Maximum rows and delay.</param>
    /// <param name="slots">
    /// Execution slots shared with other coalescers, or <see langword="null"/> for none. A batch is taken only
    /// once a slot is held, so calls that arrive while the coalescer waits for one join the batch; while every slot
    /// is taken the coalescer waits in line at once, without its delay.
    /// </param>
    /// <param name="threadName">The name of the dispatching thread.</param>
    protected Coalescer(BatchingOptions options, ExecutionSlots? slots, string threadName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _slots = slots;
        _threadName = threadName;
        _maxRows = options.MaxRows;
        _maxDelayTicks = (long)(options.MaxDelay.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Gets how many calls were made and how many batch runs served them.</summary>
    public (long Calls, long Runs) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_calls, _runs);
            }
        }
    }

    /// <summary>Queues a validated call with at least one row.</summary>
    /// <param name="call">The call.</param>
    /// <param name="rows">Its rows, counted against <see cref="BatchingOptions.MaxRows"/>.</param>
    /// <param name="cancellationToken">Cancels this caller only.</param>
    /// <returns>The caller's answer.</returns>
    protected Task<TResult> EnqueueAsync(TCall call, int rows, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var pending = new Pending(call, rows, Stopwatch.GetTimestamp());
        if (cancellationToken.CanBeCanceled)
        {
            pending.Registration = cancellationToken.Register(static state =>
            {
                var (p, token) = ((Pending, CancellationToken))state!;
                p.Result.TrySetCanceled(token);
            }, (pending, cancellationToken));
        }

        lock (_lock)
        {
            _calls++;
            _pending.Add(pending);
            PublishQueuedRows();
            if (_dispatching)
            {
                Monitor.Pulse(_lock);
            }
            else
            {
                // A thread of its own: batches block, and blocking thread-pool threads would starve the callers'
                // continuations. It lingers briefly when idle, then ends. It serves every caller, so it does not
                // take this caller's execution context (its activity, log scopes) along.
                _dispatching = true;
                new Thread(Dispatch) { IsBackground = true, Name = _threadName }.UnsafeStart();
            }
        }

        return pending.Result.Task;
    }

    /// <summary>Runs several calls as one batch.</summary>
    /// <param name="calls">The calls, in arrival order (at least two).</param>
    /// <param name="rows">Their rows in all.</param>
    /// <returns>Each call's answer, in the same order.</returns>
    protected abstract TResult[] RunBatch(IReadOnlyList<TCall> calls, int rows);

    /// <summary>Runs one call on its own.</summary>
    /// <param name="call">The call.</param>
    /// <returns>Its answer.</returns>
    protected abstract TResult RunAlone(TCall call);

    private void Dispatch()
    {
        while (true)
        {
            List<Pending> batch;
            bool haveSlot = false;
            lock (_lock)
            {
                while (true)
                {
                    _pending.RemoveAll(p => p.Result.Task.IsCompleted);
                    int queued = PublishQueuedRows();
                    if (_pending.Count == 0)
                    {
                        if (haveSlot)
                        {
                            _slots!.Release();
                            haveSlot = false;
                        }

                        if (!Monitor.Wait(_lock, Linger) && _pending.Count == 0)
                        {
                            _dispatching = false;
                            return;
                        }

                        continue;
                    }

                    // A batch goes when it is full, or once the coalescer has been idle for the delay with a call
                    // waiting: calls that arrived during a run wait for the delay after it, so callers answered
                    // by that run (closed-loop clients, the next stage of a pipeline) can rejoin the next batch.
                    // It goes early once the rows the last coalesced batch answered are back, on top of those that
                    // were already waiting when it ended. While every shared slot is taken there is no point in
                    // the delay: the coalescer waits in line and collects rows meanwhile.
                    long age = Stopwatch.GetTimestamp() - Math.Max(_pending[0].Arrived, _lastRunEnded);
                    bool companionsBack = _lastBatchRows > 1 && queued >= Math.Min(_maxRows, _lastBatchRows + _waitingAtRunEnd);
                    if (haveSlot || queued >= _maxRows || companionsBack || age >= _maxDelayTicks || (_slots is not null && !_slots.Available))
                    {
                        if (_slots is not null && !haveSlot)
                        {
                            // Wait for a slot outside the lock: calls keep arriving and join this batch.
                            Monitor.Exit(_lock);
                            try
                            {
                                _slots.Acquire(() => Volatile.Read(ref _queuedRows));
                                haveSlot = true;
                            }
                            finally
                            {
                                Monitor.Enter(_lock);
                            }

                            continue;
                        }

                        batch = Take();
                        _runs++;
                        break;
                    }

                    // Monitor waits in whole milliseconds: round up, or a sub-millisecond rest would spin.
                    Monitor.Wait(_lock, (int)Math.Ceiling((_maxDelayTicks - age) * 1000.0 / Stopwatch.Frequency));
                }
            }

            Outcome[] outcomes;
            try
            {
                outcomes = Execute(batch);
            }
            finally
            {
                // The slot is for the kernel: give it back before waking the callers.
                if (haveSlot)
                {
                    _slots!.Release();
                }
            }

            // Counted before any caller is woken: rows that arrive after this may be this batch's own callers back.
            lock (_lock)
            {
                _pending.RemoveAll(p => p.Result.Task.IsCompleted);
                _waitingAtRunEnd = PublishQueuedRows();
            }

            for (int i = 0; i < batch.Count; i++)
            {
                outcomes[i].Deliver(batch[i]);
            }

            lock (_lock)
            {
                _lastRunEnded = Stopwatch.GetTimestamp();
            }
        }
    }

    // Under the lock: callers in arrival order up to the row limit (at least one, however large).
    private List<Pending> Take()
    {
        var batch = new List<Pending>();
        int rows = 0, i = 0;
        for (; i < _pending.Count; i++)
        {
            if (batch.Count > 0 && rows + _pending[i].Rows > _maxRows)
            {
                break;
            }

            batch.Add(_pending[i]);
            rows += _pending[i].Rows;
        }

        _pending.RemoveRange(0, i);
        _lastBatchRows = rows;
        PublishQueuedRows();
        return batch;
    }

    // Under the lock: the rows waiting, also published for the execution slots to read when they choose whom to
    // serve next.
    private int PublishQueuedRows()
    {
        int rows = 0;
        foreach (var p in _pending)
        {
            rows += p.Rows;
        }

        Volatile.Write(ref _queuedRows, rows);
        return rows;
    }

    // Runs the batch (or, when it fails, each call alone) and returns each call's outcome, completing none.
    private Outcome[] Execute(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            return [Alone(batch[0])];
        }

        TResult[] results;
        try
        {
            results = RunBatch(batch.ConvertAll(p => p.Call), batch.Sum(p => p.Rows));
        }
        catch (Exception)
        {
            // Keep failures per caller: rerun each alone, so only the caller whose rows fail sees the error.
            return [.. batch.Select(Alone)];
        }

        return [.. results.Select(r => new Outcome(r, null))];
    }

    private Outcome Alone(Pending p)
    {
        if (p.Result.Task.IsCompleted)
        {
            return default;
        }

        try
        {
            return new Outcome(RunAlone(p.Call), null);
        }
        catch (Exception e)
        {
            return new Outcome(default, e);
        }
    }

    // One call's answer or error; a call cancelled meanwhile keeps its cancellation.
    private readonly record struct Outcome(TResult? Result, Exception? Error)
    {
        public void Deliver(Pending p)
        {
            if (Error is not null)
            {
                p.Fail(Error);
            }
            else if (!p.Result.Task.IsCompleted)
            {
                p.Complete(Result!);
            }
        }
    }

    private sealed class Pending(TCall call, int rows, long arrived)
    {
        public TCall Call { get; } = call;

        public int Rows { get; } = rows;

        public long Arrived { get; } = arrived;

        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public void Complete(TResult result)
        {
            Result.TrySetResult(result);
            Registration.Dispose();
        }

        public void Fail(Exception e)
        {
            Result.TrySetException(e);
            Registration.Dispose();
        }
    }
}
