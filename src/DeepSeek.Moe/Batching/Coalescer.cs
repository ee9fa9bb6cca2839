using System.Diagnostics;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// The queue behind every batcher: concurrent calls are collected and run as one batch by a worker thread
/// (<see cref="BatchWorkers"/>). Calls that arrive while a batch runs, or within <see cref="BatchingOptions.MaxDelay"/>
/// of the first call to an idle coalescer, join the next batch of at most <see cref="BatchingOptions.MaxRows"/> rows.
/// A caller cancelled before its batch runs is dropped from it; if a batch fails, its callers are run one by
/// one, so a failure reaches only the caller that caused it. One batch of a coalescer runs at a time; thread-safe.
/// </summary>
/// <typeparam name="TCall">One caller's input.</typeparam>
/// <typeparam name="TResult">One caller's answer.</typeparam>
public abstract class Coalescer<TCall, TResult> : IBatchQueue
{
    private readonly int _maxRows;
    private readonly BatchWorkers _workers;
    private readonly long _maxDelayTicks;
    private readonly object _lock = new();
    private readonly List<Pending> _pending = [];
    private long _lastRunEnded;
    private int _lastBatchRows;
    private int _waitingAtRunEnd;
    private long _calls;
    private long _runs;

    /// <summary>Initializes the queue.</summary>
    /// <param name="options">Maximum rows and delay.</param>
    /// <param name="workers">
    /// Workers shared with other coalescers, or <see langword="null"/> for a worker of its own (a thread named
    /// <paramref name="threadName"/>). Calls that arrive while every shared worker is busy go in the next batch a
    /// worker takes, without the delay.
    /// </param>
    /// <param name="threadName">The name of its own worker's thread.</param>
    protected Coalescer(BatchingOptions options, BatchWorkers? workers, string threadName)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _workers = workers ?? BatchWorkers.Private(threadName);
        _maxRows = options.MaxRows;
        _maxDelayTicks = (long)(options.MaxDelay.TotalSeconds * Stopwatch.Frequency);
        _workers.Add(this);
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

    /// <inheritdoc/>
    bool IBatchQueue.Running { get; set; }

    /// <inheritdoc/>
    bool IBatchQueue.InLine { get; set; }

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
        }

        _workers.Signal(this);
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

    /// <inheritdoc/>
    bool IBatchQueue.Poll(long now, out int rows, out long since, out long readyAt)
    {
        lock (_lock)
        {
            rows = LiveRows();
            if (rows == 0)
            {
                ((IBatchQueue)this).InLine = false;
                since = readyAt = 0;
                return false;
            }

            // A batch goes when it is full, or once the coalescer has been idle for the delay with a call waiting:
            // calls that arrived during a run wait for the delay after it, so callers answered by that run
            // (closed-loop clients, the next stage of a pipeline) can rejoin the next batch. It goes early once the
            // rows the last coalesced batch answered are back, on top of those that were already waiting when it
            // ended. Calls that waited in line for a busy shared worker need no delay: they gathered meanwhile.
            since = _pending[0].Arrived;
            bool companionsBack = _lastBatchRows > 1 && rows >= Math.Min(_maxRows, _lastBatchRows + _waitingAtRunEnd);
            bool go = ((IBatchQueue)this).InLine || rows >= _maxRows || companionsBack;
            readyAt = go ? now : Math.Max(since, _lastRunEnded) + _maxDelayTicks;
            return true;
        }
    }

    /// <inheritdoc/>
    IBatchRun IBatchQueue.Take()
    {
        lock (_lock)
        {
            _runs++;
            return new Run(this, Take());
        }
    }

    // Runs a taken batch and answers its callers.
    private void RunTaken(List<Pending> batch)
    {
        var outcomes = Execute(batch);

        // Counted before any caller is woken: rows that arrive after this may be this batch's own callers back.
        lock (_lock)
        {
            _waitingAtRunEnd = LiveRows();
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
        return batch;
    }

    // Under the lock: drops the calls cancelled while they waited and returns the rows of those still waiting.
    private int LiveRows()
    {
        _pending.RemoveAll(p => p.Result.Task.IsCompleted);
        int rows = 0;
        foreach (var p in _pending)
        {
            rows += p.Rows;
        }

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

    private sealed class Run(Coalescer<TCall, TResult> owner, List<Pending> batch) : IBatchRun
    {
        void IBatchRun.Run() => owner.RunTaken(batch);
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
