namespace DeepSeek.Moe.Native.Interop;

/// <summary>libdeepseek_moe_cuda, through <see cref="CudaNativeMethods"/>.</summary>
internal sealed unsafe class CudaLibrary : DsmLibrary
{
    public override NativeDevice Device => NativeDevice.Cuda;

    public override int Sgemm(long m, long n, long k, float* a, float* b, float* c, int accumulate) =>
        CudaNativeMethods.Sgemm(m, n, k, a, b, c, accumulate);

    public override int ExpertCreateLinearLayerNormGelu(long dModel, long dHidden, long dOut, float* w1, float* b1,
        float* gamma, float* beta, float eps, float* w2, float* b2, out NativeExpertHandle expert) =>
        CudaNativeMethods.ExpertCreateLinearLayerNormGelu(dModel, dHidden, dOut, w1, b1, gamma, beta, eps, w2, b2, out expert);

    public override int ExpertCreateSwiGlu(long dModel, long dHidden, long dOut, float* wGate, float* wUp, float* wDown,
        float* sharedGate, out NativeExpertHandle expert) =>
        CudaNativeMethods.ExpertCreateSwiGlu(dModel, dHidden, dOut, wGate, wUp, wDown, sharedGate, out expert);

    public override int ExpertForward(NativeExpertHandle expert, float* x, long rows, float* y) =>
        CudaNativeMethods.ExpertForward(expert, x, rows, y);

    public override void ExpertDestroy(nint expert) => CudaNativeMethods.ExpertDestroy(expert);

    public override int LayerCreate(long routedCount, nint* routed, long sharedCount, nint* shared, out NativeLayerHandle layer) =>
        CudaNativeMethods.LayerCreate(routedCount, routed, sharedCount, shared, out layer);

    public override int LayerForward(NativeLayerHandle layer, float* x, long rows, int* idx, float* weight, int k, float* y) =>
        CudaNativeMethods.LayerForward(layer, x, rows, idx, weight, k, y);

    public override void LayerDestroy(nint layer) => CudaNativeMethods.LayerDestroy(layer);

    protected override byte* LastError() => CudaNativeMethods.LastError();
}
