using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native.Interop;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Native.Experts;

/// <summary>The gate as a native matrix product, <c>logits = x @ W</c> with <c>dsm_sgemm_f32</c>. Thread-safe.</summary>
public sealed unsafe class NativeGateKernel : IExpertKernel
{
    private readonly DsmLibrary _library;
    private readonly float[] _weight;

    /// <summary>Initializes a gate over a copy of its weight.</summary>
    /// <param name="weight">Row-major <c>[dModel, experts]</c>.</param>
    /// <param name="dModel">The input width.</param>
    /// <param name="experts">The number of routed experts (the output width).</param>
    /// <param name="device">The library to run in. <value>Defaults to the CPU.</value></param>
    /// <exception cref="ArgumentException">The weight does not hold <c>dModel * experts</c> values.</exception>
    public NativeGateKernel(ReadOnlySpan<float> weight, int dModel, int experts, NativeDevice device = NativeDevice.Cpu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dModel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (weight.Length != (long)dModel * experts)
        {
            throw new ArgumentException($"The gate weight holds {weight.Length} values, {dModel} x {experts} expected.", nameof(weight));
        }

        _library = DsmLibrary.For(device);
        _weight = weight.ToArray();
        InputWidth = dModel;
        OutputWidth = experts;
    }

    /// <inheritdoc/>
    public int InputWidth { get; }

    /// <inheritdoc/>
    public int OutputWidth { get; }

    /// <summary>Reads a bundle's gate weight from its ONNX file.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="device">The library to run in. <value>Defaults to the CPU.</value></param>
    /// <returns>The gate.</returns>
    /// <exception cref="BundleException">The gate file holds no usable weight.</exception>
    public static NativeGateKernel FromBundle(ModelBundle bundle, NativeDevice device = NativeDevice.Cpu)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var m = bundle.Manifest;
        var weight = ExpertGraphs.ReadGate(OnnxModelFile.Read(bundle.PathOf(m.Gate.File), m.Gate.File));
        return new NativeGateKernel(weight, m.DModel, m.Experts.Count, device);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A buffer is smaller than <paramref name="rows"/> rows.</exception>
    /// <exception cref="NativeException">The library rejected the call (for example negative rows).</exception>
    public void Run(ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        NativeArguments.RequireLength(x.Length, rows, InputWidth, nameof(x));
        NativeArguments.RequireLength(y.Length, rows, OutputWidth, nameof(y));
        fixed (float* px = x, pw = _weight, py = y)
        {
            _library.ThrowIfFailed(_library.Sgemm(rows, OutputWidth, InputWidth, px, pw, py, 0), "dsm_sgemm_f32");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The weight is managed memory: nothing native to free.
    }
}
