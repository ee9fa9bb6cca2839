using System.Runtime.InteropServices;

namespace DeepSeek.Moe.Native.Interop;

/// <summary>
/// One build of the native library (CPU or CUDA; both export the same ABI) as an object, so that kernels and
/// handles call the library they were created in, and its failing statuses become <see cref="NativeException"/>s.
/// </summary>
internal abstract unsafe class DsmLibrary
{
    public static DsmLibrary Cpu { get; } = new CpuLibrary();

    public static DsmLibrary Cuda { get; } = new CudaLibrary();

    public abstract NativeDevice Device { get; }

    public static DsmLibrary For(NativeDevice device) => device switch
    {
        NativeDevice.Cpu => Cpu,
        NativeDevice.Cuda => Cuda,
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, "Unknown native device."),
    };

    /// <summary>Throws the library's own explanation when <paramref name="status"/> is not <c>DSM_OK</c>; call it on the thread that made the call, straight after.</summary>
    /// <exception cref="NativeException">The status is not <c>DSM_OK</c>.</exception>
    public void ThrowIfFailed(int status, string function)
    {
        if (status != (int)NativeStatus.Ok)
        {
            throw new NativeException((NativeStatus)status, function, Marshal.PtrToStringUTF8((nint)LastError()) ?? string.Empty);
        }
    }

    public abstract int Sgemm(long m, long n, long k, float* a, float* b, float* c, int accumulate);

    public abstract int ExpertCreateLinearLayerNormGelu(long dModel, long dHidden, long dOut, float* w1, float* b1,
        float* gamma, float* beta, float eps, float* w2, float* b2, out NativeExpertHandle expert);

    public abstract int ExpertCreateSwiGlu(long dModel, long dHidden, long dOut, float* wGate, float* wUp, float* wDown,
        float* sharedGate, out NativeExpertHandle expert);

    public abstract int ExpertForward(NativeExpertHandle expert, float* x, long rows, float* y);

    public abstract void ExpertDestroy(nint expert);

    public abstract int LayerCreate(long routedCount, nint* routed, long sharedCount, nint* shared, out NativeLayerHandle layer);

    public abstract int LayerForward(NativeLayerHandle layer, float* x, long rows, int* idx, float* weight, int k, float* y);

    public abstract void LayerDestroy(nint layer);

    protected abstract byte* LastError();
}
