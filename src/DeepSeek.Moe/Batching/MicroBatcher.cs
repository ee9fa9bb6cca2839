using System.Buffers;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// Coalesces concurrent calls of one kernel into one kernel call: each caller's rows are stacked, run once, and
/// each caller gets its own rows back. Queueing, cancellation and per-caller failure as in
/// <see cref="Coalescer{TCall, TResult}"/>; thread-safe.
/// </summary>
public sealed class MicroBatcher : Coalescer<MicroBatcher.Call, float[]>
{
    private readonly IExpertKernel _kernel;

    /// <summary>Initializes a batcher over a kernel.</summary>
    /// <param name="kernel">The kernel (not owned).</param>
    /// <param name="options">Maximum rows and delay.</param>
    public MicroBatcher(IExpertKernel kernel, BatchingOptions options)
        : this(kernel, options, workers: null)
    {
    }

    /// <summary>Initializes a batcher whose batches are run by workers shared with other batchers.</summary>
    /// <param name="kernel">The kernel (not owned).</param>
    /// <param name="options">Maximum rows and delay.</param>
    /// <param name="workers">Workers shared by the batchers of one engine, or <see langword="null"/> for a worker of its own.</param>
    public MicroBatcher(IExpertKernel kernel, BatchingOptions options, BatchWorkers? workers)
        : base(options, workers, "moe-micro-batcher")
    {
        ArgumentNullException.ThrowIfNull(kernel);
        _kernel = kernel;
    }

    /// <summary>Runs the kernel on <paramref name="rows"/> rows, together with whatever other calls are waiting.</summary>
    /// <param name="x">Row-major <c>[rows, InputWidth]</c>; not modified, and read until the task completes.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cancellationToken">Cancels this caller only.</param>
    /// <returns>Row-major <c>[rows, OutputWidth]</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not hold <paramref name="rows"/> rows.</exception>
    public Task<float[]> RunAsync(float[] x, int rows, CancellationToken cancellationToken)
    {
        BatchRows.Require(x, rows, _kernel.InputWidth);

        if (rows == 0 && !cancellationToken.IsCancellationRequested)
        {
            return Task.FromResult(Array.Empty<float>());
        }

        return EnqueueAsync(new Call(x, rows), rows, cancellationToken);
    }

    /// <inheritdoc/>
    protected override float[][] RunBatch(IReadOnlyList<Call> calls, int rows)
    {
        var x = BatchRows.RentStacked(calls.Select(c => c.X), rows, _kernel.InputWidth);
        var y = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * _kernel.OutputWidth));
        try
        {
            _kernel.Run(x.AsSpan(0, rows * _kernel.InputWidth), rows, y.AsSpan(0, rows * _kernel.OutputWidth));
            return BatchRows.Split(y, [.. calls.Select(c => c.Rows)], _kernel.OutputWidth);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(x);
            ArrayPool<float>.Shared.Return(y);
        }
    }

    /// <inheritdoc/>
    protected override float[] RunAlone(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var y = new float[call.Rows * _kernel.OutputWidth];
        _kernel.Run(call.X, call.Rows, y);
        return y;
    }

    /// <summary>One caller's rows.</summary>
    /// <param name="X">Row-major <c>[Rows, InputWidth]</c>.</param>
    /// <param name="Rows">The number of rows.</param>
    public sealed record Call(float[] X, int Rows);
}
