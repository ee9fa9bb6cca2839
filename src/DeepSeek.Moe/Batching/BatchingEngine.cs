using System.Buffers;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Batching;

/// <summary>
/// The batching front of an engine. The stage-level calls (gate + router, one routed expert, one shared expert),
/// as the pipeline's stages make them, are coalesced per kernel by a <see cref="MicroBatcher"/> each; whole-layer
/// calls of in-process callers are coalesced into one pass by a <see cref="LayerBatcher"/>. With batching disabled
/// every call runs on its own. Only the gate's logits are batched: each caller is routed with its own seed and
/// rows, so a request routes exactly as it would alone.
/// </summary>
public sealed class BatchingEngine
{
    private readonly MicroBatcher? _gate;
    private readonly MicroBatcher?[] _experts;
    private readonly MicroBatcher?[] _shared;
    private readonly LayerBatcher? _layer;

    /// <summary>Initializes the batching front of an engine.</summary>
    /// <param name="engine">The engine (not owned).</param>
    /// <param name="options">The batching options; <see cref="BatchingOptions.Enabled"/> false passes every call through.</param>
    public BatchingEngine(MoeEngine engine, BatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Engine = engine;
        Enabled = options.Enabled;
        _experts = new MicroBatcher?[engine.ExpertCount];
        _shared = new MicroBatcher?[engine.SharedExpertCount];
        if (!Enabled)
        {
            return;
        }

        // One set of workers for the experts of the engine: an expert that waits for a worker keeps collecting rows,
        // and the fullest goes first. The gate, a small fraction of a layer's work that every caller passes first,
        // has a worker of its own, so callers reach their experts without waiting for a turn behind expert runs.
        var workers = new BatchWorkers(options.ConcurrentRuns);
        _gate = new MicroBatcher(engine.GateKernel, options);
        _layer = new LayerBatcher(engine, options);
        for (int e = 0; e < _experts.Length; e++)
        {
            _experts[e] = new MicroBatcher(engine.ExpertKernel(e), options, workers);
        }

        for (int s = 0; s < _shared.Length; s++)
        {
            _shared[s] = new MicroBatcher(engine.SharedKernel(s), options, workers);
        }
    }

    /// <summary>Gets the engine.</summary>
    public MoeEngine Engine { get; }

    /// <summary>Gets a value indicating whether calls are coalesced.</summary>
    public bool Enabled { get; }

    /// <summary>Gets the whole-layer calls made and the batched passes that served them.</summary>
    public (long Calls, long Runs) LayerCounts => _layer?.Counts ?? (0, 0);

    /// <summary>Gets the stage-level calls made and kernel runs that served them, over the gate and every expert.</summary>
    public (long Calls, long Runs) Counts
    {
        get
        {
            long calls = 0, runs = 0;
            foreach (var b in _experts.Concat(_shared).Append(_gate).OfType<MicroBatcher>())
            {
                var (c, r) = b.Counts;
                calls += c;
                runs += r;
            }

            return (calls, runs);
        }
    }

    /// <summary>Runs the gate (coalesced) and routes these rows with their own seed.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="cancellationToken">Cancels this caller.</param>
    /// <returns>The routing, identical to <see cref="MoeEngine.Route"/>.</returns>
    public async Task<RoutingResult> RouteAsync(float[] x, int rows, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (_gate is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Engine.Route(x, rows, seed);
        }

        RequireRows(x, rows);
        var logits = await _gate.RunAsync(x, rows, cancellationToken).ConfigureAwait(false);
        return Engine.Router.Route(logits, rows, seed);
    }

    /// <summary>Runs one routed expert on these rows (coalesced with other callers of the same expert).</summary>
    /// <param name="expert">The expert index.</param>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cancellationToken">Cancels this caller.</param>
    /// <returns>Row-major <c>[rows, d_out]</c>.</returns>
    public Task<float[]> RunExpertAsync(int expert, float[] x, int rows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expert);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(expert, _experts.Length);
        return RunAsync(_experts[expert], x, rows, (xs, n, y) => Engine.RunExpert(expert, xs, n, y), cancellationToken);
    }

    /// <summary>Runs one shared expert on these rows (coalesced with other callers of the same expert).</summary>
    /// <param name="shared">The shared expert index.</param>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cancellationToken">Cancels this caller.</param>
    /// <returns>Row-major <c>[rows, d_out]</c>.</returns>
    public Task<float[]> RunSharedExpertAsync(int shared, float[] x, int rows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shared);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shared, _shared.Length);
        return RunAsync(_shared[shared], x, rows, (xs, n, y) => Engine.RunSharedExpert(shared, xs, n, y), cancellationToken);
    }

    /// <summary>
    /// The whole layer for one caller, coalesced with other callers' whole-layer calls into one pass
    /// (<see cref="LayerBatcher"/>): the gate once, each caller routed with its own seed, each activated expert once.
    /// </summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="cancellationToken">Cancels this caller.</param>
    /// <returns>Outputs and routing, equal to <see cref="MoeEngine.Forward"/> within float rounding of the batched kernels.</returns>
    public Task<MoeOutput> ForwardAsync(float[] x, int rows, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (_layer is not null)
        {
            return _layer.RunAsync(x, rows, seed, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        RequireRows(x, rows);
        return Task.FromResult(Engine.Forward(x, rows, seed));
    }

    /// <summary>
    /// The whole layer for one caller made of stage-level calls, each coalesced per kernel with other callers' as
    /// the pipeline's gate and expert stages are: gate, routing with this caller's seed, its activated experts
    /// concurrently, the weighted combination, shared experts.
    /// </summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="cancellationToken">Cancels this caller.</param>
    /// <returns>Outputs and routing, equal to <see cref="MoeEngine.Forward"/> within float rounding of the batched kernels.</returns>
    public async Task<MoeOutput> ForwardPerKernelAsync(float[] x, int rows, ulong seed, CancellationToken cancellationToken)
    {
        var routing = await RouteAsync(x, rows, seed, cancellationToken).ConfigureAwait(false);
        int k = routing.TopK, dIn = Engine.DModel, dOut = Engine.DOut;
        var dispatch = ExpertDispatch.From(routing);
        var runs = new List<(int Expert, Task<float[]> Output)>();
        for (int e = 0; e < Engine.ExpertCount; e++)
        {
            int n = dispatch.CountOf(e);
            if (n == 0)
            {
                continue;
            }

            var gx = new float[n * dIn];
            dispatch.Gather(e, x, dIn, gx);
            runs.Add((e, RunExpertAsync(e, gx, n, cancellationToken)));
        }

        var sharedRuns = Enumerable.Range(0, Engine.SharedExpertCount).Select(s => RunSharedExpertAsync(s, x, rows, cancellationToken)).ToList();
        var y = new float[rows * dOut];
        var slotOut = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * k * dOut));
        try
        {
            foreach (var (expert, output) in runs)
            {
                dispatch.Scatter(expert, await output.ConfigureAwait(false), dOut, slotOut);
            }

            MoeEngine.Combine(routing, slotOut.AsSpan(0, rows * k * dOut), y, dOut);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(slotOut);
        }

        foreach (var shared in sharedRuns)
        {
            var sy = await shared.ConfigureAwait(false);
            System.Numerics.Tensors.TensorPrimitives.Add(y, sy, y);
        }

        return new MoeOutput(y, rows, dOut, routing);
    }

    private Task<float[]> RunAsync(MicroBatcher? batcher, float[] x, int rows, Action<float[], int, float[]> alone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (batcher is not null)
        {
            return batcher.RunAsync(x, rows, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        RequireRows(x, rows);
        var y = new float[rows * Engine.DOut];
        alone(x, rows, y);
        return Task.FromResult(y);
    }

    private void RequireRows(float[] x, int rows) => BatchRows.Require(x, rows, Engine.DModel);
}
