using DeepSeek.Moe.Native.Interop;

namespace DeepSeek.Moe.Native.Kernels;

/// <summary>
/// The CPU library's kernels on managed memory. Matrices are row-major float32; in-place calls (the same memory as
/// input and output) are allowed where noted; NaN inputs give NaN outputs. Every method is thread-safe; the settings
/// (<see cref="SetNumThreads"/>, <see cref="SetKernelPath"/>) are process-wide.
/// </summary>
public static unsafe class NativeKernels
{
    private static DsmLibrary Library => DsmLibrary.Cpu;

    /// <summary>Fused <c>y = GeLU_erf(LayerNorm(x) * gamma + beta)</c> per row (population variance); <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <param name="x">Row-major <c>[rows, cols]</c>.</param>
    /// <param name="gamma">The scale, <c>[cols]</c>.</param>
    /// <param name="beta">The shift, <c>[cols]</c>.</param>
    /// <param name="y">Row-major <c>[rows, cols]</c>, overwritten.</param>
    /// <param name="rows">The number of rows; 0 does nothing.</param>
    /// <param name="cols">The row width.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <exception cref="ArgumentException">A buffer is smaller than its shape.</exception>
    /// <exception cref="NativeException">The library rejected the arguments (for example a negative size).</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static void LayerNormGelu(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int rows, int cols, float eps)
    {
        RequireLayerNorm(x, gamma, beta, y, rows, cols);
        fixed (float* px = x, pg = gamma, pb = beta, py = y)
        {
            Library.ThrowIfFailed(NativeMethods.LayerNormGelu(px, pg, pb, py, rows, cols, eps), "dsm_layernorm_gelu_f32");
        }
    }

    /// <summary>LayerNorm alone: <c>y = (x - mean) / sqrt(var + eps) * gamma + beta</c> per row; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <param name="x">Row-major <c>[rows, cols]</c>.</param>
    /// <param name="gamma">The scale, <c>[cols]</c>.</param>
    /// <param name="beta">The shift, <c>[cols]</c>.</param>
    /// <param name="y">Row-major <c>[rows, cols]</c>, overwritten.</param>
    /// <param name="rows">The number of rows; 0 does nothing.</param>
    /// <param name="cols">The row width.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <exception cref="ArgumentException">A buffer is smaller than its shape.</exception>
    /// <exception cref="NativeException">The library rejected the arguments.</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static void LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int rows, int cols, float eps)
    {
        RequireLayerNorm(x, gamma, beta, y, rows, cols);
        fixed (float* px = x, pg = gamma, pb = beta, py = y)
        {
            Library.ThrowIfFailed(NativeMethods.LayerNorm(px, pg, pb, py, rows, cols, eps), "dsm_layernorm_f32");
        }
    }

    /// <summary>GeLU with the exact erf form, elementwise: <c>0.5 x (1 + erf(x / sqrt 2))</c>; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="y">The output, at least as long as <paramref name="x"/>; its first <c>x.Length</c> values are overwritten.</param>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        NativeArguments.RequireLength(y.Length, x.Length, 1, nameof(y));
        fixed (float* px = x, py = y)
        {
            Library.ThrowIfFailed(NativeMethods.Gelu(px, py, x.Length), "dsm_gelu_f32");
        }
    }

    /// <summary>Per row the <paramref name="k"/> largest logits, largest first, ties to the lower index, weighted by <c>softmax(logit / temperature)</c> over those k.</summary>
    /// <param name="logits">Row-major <c>[rows, experts]</c>.</param>
    /// <param name="rows">The number of rows; 0 does nothing.</param>
    /// <param name="experts">The number of experts.</param>
    /// <param name="k">Experts per row, 1 to <paramref name="experts"/>.</param>
    /// <param name="temperature">The softmax temperature, above 0.</param>
    /// <param name="indices">Row-major <c>[rows, k]</c>, overwritten with expert indices.</param>
    /// <param name="weights">Row-major <c>[rows, k]</c>, overwritten with weights summing to 1 per row.</param>
    /// <exception cref="ArgumentException">A buffer is smaller than its shape.</exception>
    /// <exception cref="NativeException">The library rejected the arguments (for example k above the expert count).</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static void TopKGate(ReadOnlySpan<float> logits, int rows, int experts, int k, float temperature, Span<int> indices, Span<float> weights)
    {
        NativeArguments.RequireLength(logits.Length, rows, experts, nameof(logits));
        NativeArguments.RequireLength(indices.Length, rows, k, nameof(indices));
        NativeArguments.RequireLength(weights.Length, rows, k, nameof(weights));
        fixed (float* pl = logits, pw = weights)
        fixed (int* pi = indices)
        {
            Library.ThrowIfFailed(NativeMethods.TopKGate(pl, rows, experts, k, temperature, pi, pw), "dsm_topk_gate_f32");
        }
    }

    /// <summary>Matrix product <c>C[m, n] = A[m, k] @ B[k, n]</c>, or <c>C += A @ B</c> when <paramref name="accumulate"/> is set.</summary>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B.</param>
    /// <param name="a">Row-major <c>[m, k]</c>.</param>
    /// <param name="b">Row-major <c>[k, n]</c>.</param>
    /// <param name="c">Row-major <c>[m, n]</c>.</param>
    /// <param name="accumulate">Whether to add to C instead of overwriting it. <value>Defaults to false.</value></param>
    /// <exception cref="ArgumentException">A buffer is smaller than its shape.</exception>
    /// <exception cref="NativeException">The library rejected the arguments.</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static void Sgemm(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
    {
        NativeArguments.RequireLength(a.Length, m, k, nameof(a));
        NativeArguments.RequireLength(b.Length, k, n, nameof(b));
        NativeArguments.RequireLength(c.Length, m, n, nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
        {
            Library.ThrowIfFailed(NativeMethods.Sgemm(m, n, k, pa, pb, pc, accumulate ? 1 : 0), "dsm_sgemm_f32");
        }
    }

    /// <summary>Gets the threads the CPU kernels use now, process-wide, as the library reports them.</summary>
    /// <value>The count last set, or for 0 (the default) one per CPU this process may use: its affinity mask, capped by its container's CPU quota.</value>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static int Threads => NativeMethods.GetNumThreads();

    /// <summary>Sets the threads the kernels use, process-wide.</summary>
    /// <param name="threads">The thread count; 0 means one per CPU this process may use (the default).</param>
    /// <exception cref="NativeException">The library rejected the count (for example a negative one).</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static void SetNumThreads(int threads) =>
        Library.ThrowIfFailed(NativeMethods.SetNumThreads(threads), "dsm_set_num_threads");

    /// <summary>Chooses the kernel family, process-wide.</summary>
    /// <param name="path">The family; <see cref="NativeKernelPath.Detect"/> is the default.</param>
    /// <exception cref="NativeException">The CPU cannot run the family asked for (<see cref="NativeStatus.Unsupported"/>), or the value is unknown.</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static void SetKernelPath(NativeKernelPath path) =>
        Library.ThrowIfFailed(NativeMethods.SetKernelPath((int)path), "dsm_set_kernel_path");

    /// <summary>Gets the CPU features the library detected at run time.</summary>
    /// <returns>The features.</returns>
    /// <exception cref="NativeLibraryLoadException">The library is missing or of another ABI version.</exception>
    public static NativeCpuFeatures CpuFeatures() => (NativeCpuFeatures)NativeMethods.CpuFeatures();

    private static void RequireLayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int rows, int cols)
    {
        NativeArguments.RequireLength(x.Length, rows, cols, nameof(x));
        NativeArguments.RequireLength(gamma.Length, 1, cols, nameof(gamma));
        NativeArguments.RequireLength(beta.Length, 1, cols, nameof(beta));
        NativeArguments.RequireLength(y.Length, rows, cols, nameof(y));
    }
}
