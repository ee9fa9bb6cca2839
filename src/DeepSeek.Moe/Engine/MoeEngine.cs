using System.Buffers;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Onnx;
using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Engine;

/// <summary>
/// The in-process MoE layer: gate, router, each activated expert once per batch on its rows only,
/// weighted combination per row, shared experts added. Thread-safe; kernels are created once.
/// </summary>
public sealed class MoeEngine : IDisposable
{
    private readonly IExpertKernel _gate;
    private readonly IExpertKernel[] _experts;
    private readonly IExpertKernel[] _shared;
    private readonly IMoeLayerKernel? _layer;

    /// <summary>Initializes an engine over kernels the caller created (for example native ones).</summary>
    /// <param name="bundle">The bundle the kernels came from.</param>
    /// <param name="backend">The backend name reported to callers (for example <c>onnx-cpu</c>).</param>
    /// <param name="gate">The gate kernel: d_model to experts.</param>
    /// <param name="experts">One kernel per routed expert: d_model to d_out.</param>
    /// <param name="shared">One kernel per shared expert.</param>
    /// <exception cref="ArgumentException">A kernel's widths do not match the bundle.</exception>
    public MoeEngine(ModelBundle bundle, string backend, IExpertKernel gate, IReadOnlyList<IExpertKernel> experts, IReadOnlyList<IExpertKernel> shared)
        : this(bundle, backend, gate, experts, shared, layer: null)
    {
    }

    /// <summary>Initializes an engine whose sparse forward pass runs dispatch, experts and combination in one layer kernel.</summary>
    /// <param name="bundle">The bundle the kernels came from.</param>
    /// <param name="backend">The backend name reported to callers (for example <c>native-cpu</c>).</param>
    /// <param name="gate">The gate kernel: d_model to experts.</param>
    /// <param name="experts">One kernel per routed expert (used by <see cref="RunExpert"/> and dense passes).</param>
    /// <param name="shared">One kernel per shared expert.</param>
    /// <param name="layer">The whole-layer kernel over the same experts, or <see langword="null"/> to dispatch here; owned (disposed first) by the engine.</param>
    /// <exception cref="ArgumentException">A kernel's widths do not match the bundle.</exception>
    public MoeEngine(ModelBundle bundle, string backend, IExpertKernel gate, IReadOnlyList<IExpertKernel> experts, IReadOnlyList<IExpertKernel> shared, IMoeLayerKernel? layer)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(shared);
        var m = bundle.Manifest;
        RequireWidths(gate, m.DModel, m.Experts.Count, "gate");
        if (experts.Count != m.Experts.Count || shared.Count != m.SharedExperts.Count)
        {
            throw new ArgumentException($"Expected {m.Experts.Count} routed and {m.SharedExperts.Count} shared kernels, got {experts.Count} and {shared.Count}.", nameof(experts));
        }

        foreach (var k in experts.Concat(shared))
        {
            RequireWidths(k, m.DModel, m.DOut, "expert");
        }

        Bundle = bundle;
        Backend = backend;
        Router = new Router(m.Routing, m.Experts.Count);
        _gate = gate;
        _experts = [.. experts];
        _shared = [.. shared];
        _layer = layer;
    }

    /// <summary>Gets the bundle.</summary>
    public ModelBundle Bundle { get; }

    /// <summary>Gets the backend name, for example <c>onnx-cpu</c>.</summary>
    public string Backend { get; }

    /// <summary>Gets the router.</summary>
    public Router Router { get; }

    /// <summary>Gets the input width.</summary>
    public int DModel => Bundle.Manifest.DModel;

    /// <summary>Gets the output width.</summary>
    public int DOut => Bundle.Manifest.DOut;

    /// <summary>Gets the number of routed experts.</summary>
    public int ExpertCount => _experts.Length;

    /// <summary>Gets the gate kernel (for the micro-batcher).</summary>
    internal IExpertKernel GateKernel => _gate;

    /// <summary>Gets a routed expert's kernel (for the micro-batcher).</summary>
    /// <param name="expert">The expert index.</param>
    /// <returns>The kernel.</returns>
    internal IExpertKernel ExpertKernel(int expert) => _experts[expert];

    /// <summary>Gets a shared expert's kernel (for the micro-batcher).</summary>
    /// <param name="shared">The shared expert index.</param>
    /// <returns>The kernel.</returns>
    internal IExpertKernel SharedKernel(int shared) => _shared[shared];

    /// <summary>Creates an engine whose gate and experts run on ONNX Runtime, one session per file.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="options">The runtime options. <value>Defaults to the CPU provider.</value></param>
    /// <returns>The engine.</returns>
    /// <exception cref="ExecutionProviderUnavailableException">The provider cannot load and no fallback is configured.</exception>
    public static MoeEngine CreateOnnx(ModelBundle bundle, ExpertRuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var factory = new OnnxSessionFactory(options ?? new ExpertRuntimeOptions());
        var m = bundle.Manifest;
        var created = new List<IExpertKernel>();
        try
        {
            IExpertKernel Make(string file, string output, int width)
            {
                var kernel = new OnnxExpertKernel(factory.Create(bundle.PathOf(file)), ExpertGraphs.InputName, output, m.DModel, width);
                created.Add(kernel);
                return kernel;
            }

            var gate = Make(m.Gate.File, ExpertGraphs.GateOutputName, m.Experts.Count);
            var experts = m.Experts.Select(e => Make(e.File, ExpertGraphs.OutputName, m.DOut)).ToList();
            var shared = m.SharedExperts.Select(e => Make(e.File, ExpertGraphs.OutputName, m.DOut)).ToList();
            return new MoeEngine(bundle, $"onnx-{factory.ActiveProvider}", gate, experts, shared);
        }
        catch
        {
            created.ForEach(k => k.Dispose());
            throw;
        }
    }

    /// <summary>Runs the gate and the router.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">The noise seed.</param>
    /// <returns>The routing.</returns>
    public RoutingResult Route(ReadOnlySpan<float> x, int rows, ulong seed)
    {
        RequireInput(x, rows);
        var logits = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * ExpertCount));
        try
        {
            _gate.Run(x, rows, logits);
            return Router.Route(logits.AsSpan(0, rows * ExpertCount), rows, seed);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(logits);
        }
    }

    /// <summary>Runs one routed expert on the given rows.</summary>
    /// <param name="expert">The expert index.</param>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="y">Row-major <c>[rows, d_out]</c>, overwritten.</param>
    public void RunExpert(int expert, ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expert);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(expert, ExpertCount);
        RequireInput(x, rows);
        _experts[expert].Run(x, rows, y);
    }

    /// <summary>Gets the number of shared experts.</summary>
    public int SharedExpertCount => _shared.Length;

    /// <summary>Runs one shared expert on the given rows.</summary>
    /// <param name="shared">The shared expert index.</param>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="y">Row-major <c>[rows, d_out]</c>, overwritten.</param>
    public void RunSharedExpert(int shared, ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shared);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shared, _shared.Length);
        RequireInput(x, rows);
        _shared[shared].Run(x, rows, y);
    }

    /// <summary>Adds the outputs of every shared expert to <paramref name="y"/>.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="y">Row-major <c>[rows, d_out]</c>, accumulated into.</param>
    public void AddSharedExperts(ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        if (_shared.Length == 0 || rows == 0)
        {
            return;
        }

        int n = rows * DOut;
        var buffer = ArrayPool<float>.Shared.Rent(n);
        try
        {
            foreach (var kernel in _shared)
            {
                kernel.Run(x, rows, buffer);
                System.Numerics.Tensors.TensorPrimitives.Add(y[..n], buffer.AsSpan(0, n), y[..n]);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>The whole layer: gate, routing, experts, combination, shared experts.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">The noise seed, recorded in the routing.</param>
    /// <param name="mode">Sparse (the product) or dense (the baseline). <value>Defaults to sparse.</value></param>
    /// <returns>Outputs and routing.</returns>
    public MoeOutput Forward(ReadOnlySpan<float> x, int rows, ulong seed, ForwardMode mode = ForwardMode.Sparse)
    {
        var routing = Route(x, rows, seed);
        if (mode == ForwardMode.Sparse)
        {
            return ForwardRouted(x, rows, routing, parallelism: 1);
        }

        int k = routing.TopK, dOut = DOut;
        var output = new float[rows * dOut];
        var dispatch = ExpertDispatch.From(routing);
        var slotOut = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * k * dOut));
        var gy = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * dOut));
        try
        {
            for (int e = 0; e < ExpertCount; e++)
            {
                _experts[e].Run(x, rows, gy);
                foreach (var slot in dispatch.SlotsOf(e))
                {
                    gy.AsSpan(slot / k * dOut, dOut).CopyTo(slotOut.AsSpan(slot * dOut, dOut));
                }
            }

            Combine(routing, slotOut, output, dOut);
            AddSharedExperts(x, rows, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(slotOut);
            ArrayPool<float>.Shared.Return(gy);
        }

        return new MoeOutput(output, rows, dOut, routing);
    }

    /// <summary>
    /// The layer after the gate for a given routing: each activated expert once on its rows, the weighted
    /// combination, shared experts. Several callers' rows routed separately (<see cref="RoutingResult.Concat"/>)
    /// run here as one batch.
    /// </summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="routing">The routing of these rows.</param>
    /// <param name="parallelism">How many experts run at once (1: one after another on this thread).</param>
    /// <returns>Outputs and routing.</returns>
    /// <exception cref="ArgumentException">The routing is not over these rows or this engine's experts.</exception>
    public MoeOutput ForwardRouted(ReadOnlySpan<float> x, int rows, RoutingResult routing, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var output = new float[rows * DOut];
        ForwardRouted(x, rows, routing, parallelism, output);
        return new MoeOutput(output, rows, DOut, routing);
    }

    /// <summary>As <see cref="ForwardRouted(ReadOnlySpan{float}, int, RoutingResult, int)"/>, into a caller's buffer (a batcher's rented one).</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="routing">The routing of these rows.</param>
    /// <param name="parallelism">How many experts run at once.</param>
    /// <param name="output">At least <c>rows * d_out</c> values; the first are overwritten with the row-major outputs.</param>
    /// <exception cref="ArgumentException">The routing is not over these rows or this engine's experts.</exception>
    internal void ForwardRouted(ReadOnlySpan<float> x, int rows, RoutingResult routing, int parallelism, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        RequireInput(x, rows);
        if (routing.Rows != rows || routing.ExpertCount != ExpertCount)
        {
            throw new ArgumentException($"The routing covers {routing.Rows} rows over {routing.ExpertCount} experts; expected {rows} over {ExpertCount}.", nameof(routing));
        }

        int k = routing.TopK, dIn = DModel, dOut = DOut;
        output = output[..(rows * dOut)];
        // The whole-layer kernel, unless asked for more experts at once than it would run: kernels set to one
        // thread each (the batchers' own runs) then still get a layer pass over every core, dispatched here.
        if (_layer is not null && (parallelism == 1 || _layer.Parallelism >= parallelism))
        {
            _layer.Run(x, rows, routing.Indices, routing.Weights, k, output);
            return;
        }

        var dispatch = ExpertDispatch.From(routing);
        var slotOut = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * k * dOut));
        try
        {
            var active = Enumerable.Range(0, ExpertCount).Where(e => dispatch.CountOf(e) > 0).OrderByDescending(dispatch.CountOf).ToArray();
            if (parallelism == 1 || active.Length < 2)
            {
                foreach (var e in active)
                {
                    RunSlots(e, x, dispatch, slotOut);
                }
            }
            else
            {
                // Experts write disjoint slots; taken one at a time, largest first, so the cores finish together.
                // This thread leads: a busy thread pool slows the pass down instead of stalling it.
                var xs = ArrayPool<float>.Shared.Rent(rows * dIn);
                try
                {
                    x[..(rows * dIn)].CopyTo(xs);
                    SharedLoop.For(active.Length, parallelism, static () => 0, (i, _) => RunSlots(active[i], xs.AsSpan(0, rows * dIn), dispatch, slotOut));
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(xs);
                }
            }

            Combine(routing, slotOut, output, dOut);
            AddSharedExperts(x, rows, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(slotOut);
        }
    }

    /// <summary>Combines per-slot expert outputs into rows: <c>out[r] = sum_i w[r,i] * slot[r,i]</c>, in slot order so the sum is deterministic.</summary>
    /// <param name="routing">The routing (weights).</param>
    /// <param name="slotOutputs">Row-major <c>[rows * top_k, d_out]</c>, slot <c>r * top_k + i</c>.</param>
    /// <param name="output">Row-major <c>[rows, d_out]</c>, overwritten.</param>
    /// <param name="dOut">The output width.</param>
    public static void Combine(RoutingResult routing, ReadOnlySpan<float> slotOutputs, Span<float> output, int dOut)
    {
        ArgumentNullException.ThrowIfNull(routing);
        int k = routing.TopK;
        for (int r = 0; r < routing.Rows; r++)
        {
            var dst = output.Slice(r * dOut, dOut);
            dst.Clear();
            var w = routing.WeightsOf(r);
            for (int i = 0; i < k; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(slotOutputs.Slice((r * k + i) * dOut, dOut), w[i], dst, dst);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _layer?.Dispose();
        _gate.Dispose();
        foreach (var k in _experts.Concat(_shared))
        {
            k.Dispose();
        }
    }

    // One routed expert on its rows: gather them, run, scatter the outputs to their slots.
    private void RunSlots(int expert, ReadOnlySpan<float> x, ExpertDispatch dispatch, float[] slotOut)
    {
        int n = dispatch.CountOf(expert);
        var gx = ArrayPool<float>.Shared.Rent(n * DModel);
        var gy = ArrayPool<float>.Shared.Rent(n * DOut);
        try
        {
            dispatch.Gather(expert, x, DModel, gx);
            _experts[expert].Run(gx.AsSpan(0, n * DModel), n, gy);
            dispatch.Scatter(expert, gy, DOut, slotOut);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(gx);
            ArrayPool<float>.Shared.Return(gy);
        }
    }

    private void RequireInput(ReadOnlySpan<float> x, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (x.Length < (long)rows * DModel)
        {
            throw new ArgumentException($"Expected {rows} x {DModel} input values, got {x.Length}.", nameof(x));
        }
    }

    private static void RequireWidths(IExpertKernel kernel, int input, int output, string what)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (kernel.InputWidth != input || kernel.OutputWidth != output)
        {
            throw new ArgumentException($"The {what} kernel maps {kernel.InputWidth} to {kernel.OutputWidth}, the bundle needs {input} to {output}.");
        }
    }
}
