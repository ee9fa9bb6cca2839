using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Native.Experts;
using DeepSeek.Moe.Native.Interop;
using DeepSeek.Moe.Native.Kernels;

namespace DeepSeek.Moe.Native.Engine;

/// <summary>
/// A whole MoE layer in one native call (<c>dsm_layer_forward</c>): given the router's choice, dispatches rows to
/// their experts, runs each activated expert once, combines per row in slot order and adds the shared experts.
/// The layer borrows its experts; it keeps them alive until it is destroyed, whatever order things are disposed in.
/// Thread-safe.
/// </summary>
public sealed unsafe class NativeMoeLayer : IMoeLayerKernel
{
    private readonly DsmLibrary _library;
    private readonly NativeLayerHandle _handle;

    private NativeMoeLayer(DsmLibrary library, NativeLayerHandle handle, int inputWidth, int outputWidth, int routedCount)
    {
        _library = library;
        _handle = handle;
        InputWidth = inputWidth;
        OutputWidth = outputWidth;
        RoutedCount = routedCount;
    }

    /// <summary>Gets the input width (d_model).</summary>
    public int InputWidth { get; }

    /// <summary>Gets the output width (d_out).</summary>
    public int OutputWidth { get; }

    /// <summary>Gets the number of routed experts; routing indices must lie below it.</summary>
    public int RoutedCount { get; }

    /// <inheritdoc/>
    /// <value>On the CPU the library's thread count (<see cref="NativeKernels.Threads"/>), read at each call since it is process-wide; on a GPU unbounded.</value>
    public int Parallelism => _library.Device == NativeDevice.Cpu ? NativeKernels.Threads : int.MaxValue;

    /// <summary>Creates a layer over experts created in one library.</summary>
    /// <param name="routed">The routed experts, in routing index order (at least one).</param>
    /// <param name="shared">The shared experts, run on every row.</param>
    /// <returns>The layer; dispose it (the experts may be disposed before or after it).</returns>
    /// <exception cref="ArgumentException">The experts are empty, differ in widths, or live in different libraries.</exception>
    /// <exception cref="NativeException">The library rejected the layer.</exception>
    public static NativeMoeLayer Create(IReadOnlyList<NativeExpertKernel> routed, IReadOnlyList<NativeExpertKernel> shared)
    {
        ArgumentNullException.ThrowIfNull(routed);
        ArgumentNullException.ThrowIfNull(shared);
        if (routed.Count == 0)
        {
            throw new ArgumentException("A layer needs at least one routed expert.", nameof(routed));
        }

        var first = routed[0];
        var all = routed.Concat(shared).ToArray();
        if (all.Any(e => e.InputWidth != first.InputWidth || e.OutputWidth != first.OutputWidth || e.Device != first.Device))
        {
            throw new ArgumentException($"Every expert of a layer must map {first.InputWidth} to {first.OutputWidth} on {first.Device}.", nameof(shared));
        }

        var library = DsmLibrary.For(first.Device);
        var handle = CreateHandle(library, all, routed.Count);
        return new NativeMoeLayer(library, handle, first.InputWidth, first.OutputWidth, routed.Count);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A buffer is smaller than its shape.</exception>
    /// <exception cref="NativeException">The library rejected the call (for example an expert index out of range, or negative rows).</exception>
    public void Run(ReadOnlySpan<float> x, int rows, ReadOnlySpan<int> indices, ReadOnlySpan<float> weights, int topK, Span<float> y)
    {
        NativeArguments.RequireLength(x.Length, rows, InputWidth, nameof(x));
        NativeArguments.RequireLength(indices.Length, rows, topK, nameof(indices));
        NativeArguments.RequireLength(weights.Length, rows, topK, nameof(weights));
        NativeArguments.RequireLength(y.Length, rows, OutputWidth, nameof(y));
        fixed (float* px = x, pw = weights, py = y)
        fixed (int* pi = indices)
        {
            _library.ThrowIfFailed(_library.LayerForward(_handle, px, rows, pi, pw, topK, py), "dsm_layer_forward");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private static NativeLayerHandle CreateHandle(DsmLibrary library, NativeExpertKernel[] kernels, int routedCount)
    {
        var experts = kernels.Select(k => k.Handle).ToArray();
        // One reference per expert for as long as the native layer points at it; handed to the layer handle on success.
        var referenced = new List<NativeExpertHandle>(experts.Length);
        try
        {
            var pointers = new nint[experts.Length];
            for (int i = 0; i < experts.Length; i++)
            {
                bool added = false;
                experts[i].DangerousAddRef(ref added);
                referenced.Add(experts[i]);
                pointers[i] = experts[i].DangerousGetHandle();
            }

            NativeLayerHandle handle;
            int status;
            fixed (nint* p = pointers)
            {
                long sharedCount = experts.Length - routedCount;
                status = library.LayerCreate(routedCount, p, sharedCount, sharedCount == 0 ? null : p + routedCount, out handle);
            }

            handle.Library = library;
            try
            {
                library.ThrowIfFailed(status, "dsm_layer_create");
            }
            catch
            {
                handle.Dispose();
                throw;
            }

            handle.TakeBorrowedExperts([.. referenced]);
            referenced.Clear();
            return handle;
        }
        finally
        {
            referenced.ForEach(e => e.DangerousRelease());
        }
    }
}
