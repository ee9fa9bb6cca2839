namespace DeepSeek.Moe.Engine;

/// <summary>
/// Runs the part of a MoE layer after routing in one call: dispatch of rows to their experts, each activated
/// expert once on its rows, the weighted combination per row in slot order, then the shared experts. An engine
/// given one uses it for sparse forward passes (for example the native whole-layer kernel). Implementations are thread-safe.
/// </summary>
public interface IMoeLayerKernel : IDisposable
{
    /// <summary>
    /// Gets how many threads one call spreads its experts over (<see cref="int.MaxValue"/> for a device that runs
    /// them all at once). A caller that wants more experts run at once than this (a layer batcher running one per
    /// core over kernels set to one thread each) dispatches the experts itself instead.
    /// </summary>
    int Parallelism { get; }

    /// <summary>Computes <c>y[r] = sum_i weights[r, i] * routed[indices[r, i]](x[r]) + sum_s shared[s](x[r])</c>.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows; 0 does nothing.</param>
    /// <param name="indices">Row-major <c>[rows, topK]</c> routed expert indices from the router.</param>
    /// <param name="weights">Row-major <c>[rows, topK]</c> combination weights from the router.</param>
    /// <param name="topK">Experts per row.</param>
    /// <param name="y">Row-major <c>[rows, d_out]</c>, overwritten.</param>
    void Run(ReadOnlySpan<float> x, int rows, ReadOnlySpan<int> indices, ReadOnlySpan<float> weights, int topK, Span<float> y);
}
