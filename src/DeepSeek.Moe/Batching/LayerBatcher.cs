using System.Buffers;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// Coalesces concurrent whole-layer calls of one engine into one pass: the callers' rows are stacked, the gate
/// runs once on them, each caller is routed on its own logits with its own seed (so it routes exactly as it
/// would alone), and every activated expert runs once on the rows of all callers that chose it, several experts
/// at once. Each caller gets its own outputs and routing back. Queueing, cancellation and per-caller failure as
/// in <see cref="Coalescer{TCall, TResult}"/>; thread-safe.
/// </summary>
public sealed class LayerBatcher : Coalescer<LayerBatcher.Call, MoeOutput>
{
    private readonly MoeEngine _engine;
    private readonly int _parallelism;

    /// <summary>Initializes a batcher over an engine.</summary>
    /// <param name="engine">The engine (not owned).</param>
    /// <param name="options">Maximum rows and delay; <see cref="BatchingOptions.ConcurrentRuns"/> experts of a batch run at once.</param>
    public LayerBatcher(MoeEngine engine, BatchingOptions options)
        : base(options, workers: null, "moe-layer-batcher")
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _parallelism = options.ConcurrentRuns;
    }

    /// <summary>Runs the layer on these rows, together with whatever other calls are waiting.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>; not modified, and read until the task completes.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">This caller's routing seed.</param>
    /// <param name="cancellationToken">Cancels this caller only.</param>
    /// <returns>Outputs and routing, equal to <see cref="MoeEngine.Forward"/> within float rounding of the batched kernels.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not hold <paramref name="rows"/> rows.</exception>
    public Task<MoeOutput> RunAsync(float[] x, int rows, ulong seed, CancellationToken cancellationToken)
    {
        BatchRows.Require(x, rows, _engine.DModel);

        if (rows == 0 && !cancellationToken.IsCancellationRequested)
        {
            return Task.FromResult(_engine.Forward(x, 0, seed));
        }

        return EnqueueAsync(new Call(x, rows, seed), rows, cancellationToken);
    }

    /// <inheritdoc/>
    protected override MoeOutput[] RunBatch(IReadOnlyList<Call> calls, int rows)
    {
        int experts = _engine.ExpertCount;
        var rented = BatchRows.RentStacked(calls.Select(c => c.X), rows, _engine.DModel);
        var y = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * _engine.DOut));
        try
        {
            var x = rented.AsSpan(0, rows * _engine.DModel);
            var logits = new float[rows * experts];
            _engine.GateKernel.Run(x, rows, logits);
            int[] callRows = [.. calls.Select(c => c.Rows)];
            var callLogits = BatchRows.Split(logits, callRows, experts);
            var routings = calls.Select((c, i) => _engine.Router.Route(callLogits[i], c.Rows, c.Seed)).ToArray();
            _engine.ForwardRouted(x, rows, RoutingResult.Concat(routings), _parallelism, y);
            var outputs = BatchRows.Split(y, callRows, _engine.DOut);
            return [.. calls.Select((c, i) => new MoeOutput(outputs[i], c.Rows, _engine.DOut, routings[i]))];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
            ArrayPool<float>.Shared.Return(y);
        }
    }

    /// <inheritdoc/>
    protected override MoeOutput RunAlone(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return _engine.ForwardRouted(call.X, call.Rows, _engine.Route(call.X, call.Rows, call.Seed), _parallelism);
    }

    /// <summary>One caller's rows and seed.</summary>
    /// <param name="X">Row-major <c>[Rows, d_model]</c>.</param>
    /// <param name="Rows">The number of rows.</param>
    /// <param name="Seed">The routing seed.</param>
    public sealed record Call(float[] X, int Rows, ulong Seed);
}
