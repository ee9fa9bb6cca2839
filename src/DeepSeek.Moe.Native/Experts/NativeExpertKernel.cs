using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native.Interop;

namespace DeepSeek.Moe.Native.Experts;

/// <summary>One expert whose weights were copied (and packed) into native memory; runs with <c>dsm_expert_forward</c>. Thread-safe.</summary>
public sealed unsafe class NativeExpertKernel : IExpertKernel
{
    private readonly DsmLibrary _library;

    private NativeExpertKernel(DsmLibrary library, NativeExpertHandle handle, ExpertWeights weights)
    {
        _library = library;
        Handle = handle;
        InputWidth = weights.DModel;
        OutputWidth = weights.DOut;
        Kind = weights.Kind;
    }

    /// <inheritdoc/>
    public int InputWidth { get; }

    /// <inheritdoc/>
    public int OutputWidth { get; }

    /// <summary>Gets the expert kind (<see cref="Bundles.ExpertKinds"/>).</summary>
    public string Kind { get; }

    /// <summary>Gets the library the expert lives in.</summary>
    public NativeDevice Device => _library.Device;

    internal NativeExpertHandle Handle { get; }

    /// <summary>Copies an expert's weights into the native library.</summary>
    /// <param name="weights">Linear-LayerNorm-GeLU or SwiGLU (gated or not) weights, <c>[in, out]</c> row-major.</param>
    /// <param name="device">The library to create it in. <value>Defaults to the CPU.</value></param>
    /// <returns>The kernel; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">A weight array does not match the expert's widths.</exception>
    /// <exception cref="NotSupportedException">The expert kind has no native kernel.</exception>
    /// <exception cref="NativeException">The library rejected the expert or ran out of memory.</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static NativeExpertKernel Create(ExpertWeights weights, NativeDevice device = NativeDevice.Cpu)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var library = DsmLibrary.For(device);
        var (status, function, handle) = weights switch
        {
            LinearLayerNormGeluWeights w => (CreateLinearLayerNormGelu(library, w, out var h), "dsm_expert_create_linear_layernorm_gelu", h),
            SwiGluWeights w => (CreateSwiGlu(library, w, out var h), "dsm_expert_create_swiglu", h),
            _ => throw new NotSupportedException($"The native library has no kernel for expert kind '{weights.Kind}'."),
        };
        handle.Library = library;
        try
        {
            library.ThrowIfFailed(status, function);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new NativeExpertKernel(library, handle, weights);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A buffer is smaller than <paramref name="rows"/> rows.</exception>
    /// <exception cref="NativeException">The library rejected the call (for example negative rows).</exception>
    public void Run(ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        NativeArguments.RequireLength(x.Length, rows, InputWidth, nameof(x));
        NativeArguments.RequireLength(y.Length, rows, OutputWidth, nameof(y));
        fixed (float* px = x, py = y)
        {
            _library.ThrowIfFailed(_library.ExpertForward(Handle, px, rows, py), "dsm_expert_forward");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Handle.Dispose();

    private static int CreateLinearLayerNormGelu(DsmLibrary library, LinearLayerNormGeluWeights w, out NativeExpertHandle handle)
    {
        NativeArguments.RequireLength(w.W1.Length, w.DModel, w.DHidden, nameof(w.W1));
        NativeArguments.RequireLength(w.B1.Length, 1, w.DHidden, nameof(w.B1));
        NativeArguments.RequireLength(w.LnScale.Length, 1, w.DHidden, nameof(w.LnScale));
        NativeArguments.RequireLength(w.LnBias.Length, 1, w.DHidden, nameof(w.LnBias));
        NativeArguments.RequireLength(w.W2.Length, w.DHidden, w.DOut, nameof(w.W2));
        NativeArguments.RequireLength(w.B2.Length, 1, w.DOut, nameof(w.B2));
        fixed (float* w1 = w.W1, b1 = w.B1, gamma = w.LnScale, beta = w.LnBias, w2 = w.W2, b2 = w.B2)
        {
            return library.ExpertCreateLinearLayerNormGelu(w.DModel, w.DHidden, w.DOut, w1, b1, gamma, beta,
                LinearLayerNormGeluWeights.LayerNormEpsilon, w2, b2, out handle);
        }
    }

    private static int CreateSwiGlu(DsmLibrary library, SwiGluWeights w, out NativeExpertHandle handle)
    {
        NativeArguments.RequireLength(w.WGate.Length, w.DModel, w.DHidden, nameof(w.WGate));
        NativeArguments.RequireLength(w.WUp.Length, w.DModel, w.DHidden, nameof(w.WUp));
        NativeArguments.RequireLength(w.WDown.Length, w.DHidden, w.DOut, nameof(w.WDown));
        if (w.SharedGate is { } s)
        {
            NativeArguments.RequireLength(s.Length, 1, w.DModel, nameof(w.SharedGate));
        }

        fixed (float* wg = w.WGate, wu = w.WUp, wd = w.WDown, sg = w.SharedGate)
        {
            return library.ExpertCreateSwiGlu(w.DModel, w.DHidden, w.DOut, wg, wu, wd, sg, out handle);
        }
    }
}
