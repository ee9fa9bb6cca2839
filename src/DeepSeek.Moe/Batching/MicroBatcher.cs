using System.Diagnostics;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// Coalesces concurrent calls of one kernel into one kernel call: each caller's rows are stacked, run once, and
/// each caller gets its own rows back. A caller cancelled before its batch runs is dropped from it; if a
/// coalesced call fails, its callers are run one by one, so a failure reaches only the caller that caused it.
/// One batch runs at a time per kernel; thread-safe.
/// </summary>
public sealed class MicroBatcher
{
    private readonly IExpertKernel _kernel;
    private readonly int _maxRows;
    private readonly SemaphoreSlim? _slots;
    private readonly long _maxDelayTicks;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);
    private readonly object _lock = new();
    private readonly List<Pending> _pending = [];
    private bool _dispatching;
    private long _lastRunEnded;
    private long _calls;
    private long _runs;

    /// <summary>Initializes a batcher over a kernel.</summary>
    /// <param name="kernel">The kernel (not owned).</param>
    /// <param name="options">Maximum rows and delay.</param>
    public MicroBatcher(IExpertKernel kernel, BatchingOptions options)
        : this(kernel, options, slots: null)
    {
    }

    /// <summary>Initializes a batcher whose runs take one of a set of execution slots shared with other batchers.</summary>
    /// <param name="kernel">The kernel (not owned).</param>
    /// <param name="options">Maximum rows and delay.</param>
    /// <param name="slots">
    /// Execution slots shared by the batchers of one engine, or <see langword="null"/> for none. A batcher takes
    /// its batch only once it holds a slot, so rows that arrive while it waits for one join the batch.
    /// </param>
    public MicroBatcher(IExpertKernel kernel, BatchingOptions options, SemaphoreSlim? slots)
    {
        _slots = slots;
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _kernel = kernel;
        _maxRows = options.MaxRows;
        _maxDelayTicks = (long)(options.MaxDelay.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Gets how many calls were made and how many kernel runs served them.</summary>
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

    /// <summary>Runs the kernel on <paramref name="rows"/> rows, together with whatever other calls are waiting.</summary>
    /// <param name="x">Row-major <c>[rows, InputWidth]</c>; not modified, and read until the task completes.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cancellationToken">Cancels this caller only.</param>
    /// <returns>Row-major <c>[rows, OutputWidth]</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not hold <paramref name="rows"/> rows.</exception>
    public Task<float[]> RunAsync(float[] x, int rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (x.Length != (long)rows * _kernel.InputWidth)
        {
            throw new ArgumentException($"Expected {rows} x {_kernel.InputWidth} input values, got {x.Length}.", nameof(x));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<float[]>(cancellationToken);
        }

        if (rows == 0)
        {
            return Task.FromResult(Array.Empty<float>());
        }

        var pending = new Pending(x, rows, Stopwatch.GetTimestamp());
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
            if (_dispatching)
            {
                Monitor.Pulse(_lock);
            }
            else
            {
                // A thread of its own: kernel calls block, and blocking thread-pool threads would starve the
                // callers' continuations. It lingers briefly when idle, then ends.
                _dispatching = true;
                new Thread(Dispatch) { IsBackground = true, Name = "moe-micro-batcher" }.Start();
            }
        }

        return pending.Result.Task;
    }

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

                    int queued = 0;
                    foreach (var p in _pending)
                    {
                        queued += p.Rows;
                    }

                    // Calls that arrived while the kernel ran have waited one run already: they go now. The first
                    // call to an idle kernel waits up to the delay for companions, unless the batch is already full.
                    bool arrivedWhileBusy = _lastRunEnded >= _pending[0].Arrived;
                    long age = Stopwatch.GetTimestamp() - _pending[0].Arrived;
                    if (arrivedWhileBusy || queued >= _maxRows || age >= _maxDelayTicks)
                    {
                        if (_slots is not null && !haveSlot)
                        {
                            // Wait for a slot outside the lock: calls keep arriving and join this batch.
                            Monitor.Exit(_lock);
                            try
                            {
                                _slots.Wait();
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

            try
            {
                Execute(batch);
            }
            finally
            {
                if (haveSlot)
                {
                    _slots!.Release();
                }
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
        return batch;
    }

    private void Execute(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            RunAlone(batch[0]);
            return;
        }

        int rows = 0;
        foreach (var p in batch)
        {
            rows += p.Rows;
        }

        int dIn = _kernel.InputWidth, dOut = _kernel.OutputWidth;
        var x = new float[rows * dIn];
        var y = new float[rows * dOut];
        int at = 0;
        foreach (var p in batch)
        {
            p.X.CopyTo(x, at * dIn);
            at += p.Rows;
        }

        try
        {
            _kernel.Run(x, rows, y);
        }
        catch (Exception)
        {
            // Keep failures per caller: rerun each alone, so only the caller whose rows fail sees the error.
            batch.ForEach(RunAlone);
            return;
        }

        at = 0;
        foreach (var p in batch)
        {
            p.Complete(y.AsSpan(at * dOut, p.Rows * dOut).ToArray());
            at += p.Rows;
        }
    }

    private void RunAlone(Pending p)
    {
        if (p.Result.Task.IsCompleted)
        {
            return;
        }

        try
        {
            var y = new float[p.Rows * _kernel.OutputWidth];
            _kernel.Run(p.X, p.Rows, y);
            p.Complete(y);
        }
        catch (Exception e)
        {
            p.Fail(e);
        }
    }

    private sealed class Pending(float[] x, int rows, long arrived)
    {
        public float[] X { get; } = x;

        public int Rows { get; } = rows;

        public long Arrived { get; } = arrived;

        public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public void Complete(float[] y)
        {
            Result.TrySetResult(y);
            Registration.Dispose();
        }

        public void Fail(Exception e)
        {
            Result.TrySetException(e);
            Registration.Dispose();
        }
    }
}
