using System.Runtime.InteropServices;

namespace DeepSeek.Moe.Native.Interop;

/// <summary>The CUDA library's exports that the engine uses: the same ABI as <see cref="NativeMethods"/>, another file.</summary>
internal static unsafe partial class CudaNativeMethods
{
    private const string Library = NativeLibraryResolver.CudaLibrary;

    // Explicit so that it runs before the first import binds, which is when the resolver is needed.
    static CudaNativeMethods() => NativeLibraryResolver.Register();

    [LibraryImport(Library, EntryPoint = "dsm_last_error")]
    public static partial byte* LastError();

    [LibraryImport(Library, EntryPoint = "dsm_sgemm_f32")]
    public static partial int Sgemm(long m, long n, long k, float* a, float* b, float* c, int accumulate);

    [LibraryImport(Library, EntryPoint = "dsm_expert_create_linear_layernorm_gelu")]
    public static partial int ExpertCreateLinearLayerNormGelu(long dModel, long dHidden, long dOut, float* w1, float* b1,
        float* gamma, float* beta, float eps, float* w2, float* b2, out NativeExpertHandle expert);

    [LibraryImport(Library, EntryPoint = "dsm_expert_create_swiglu")]
    public static partial int ExpertCreateSwiGlu(long dModel, long dHidden, long dOut, float* wGate, float* wUp, float* wDown,
        float* sharedGate, out NativeExpertHandle expert);

    [LibraryImport(Library, EntryPoint = "dsm_expert_forward")]
    public static partial int ExpertForward(NativeExpertHandle expert, float* x, long rows, float* y);

    [LibraryImport(Library, EntryPoint = "dsm_expert_destroy")]
    public static partial void ExpertDestroy(nint expert);

    [LibraryImport(Library, EntryPoint = "dsm_layer_create")]
    public static partial int LayerCreate(long routedCount, nint* routed, long sharedCount, nint* shared, out NativeLayerHandle layer);

    [LibraryImport(Library, EntryPoint = "dsm_layer_forward")]
    public static partial int LayerForward(NativeLayerHandle layer, float* x, long rows, int* idx, float* weight, int k, float* y);

    [LibraryImport(Library, EntryPoint = "dsm_layer_destroy")]
    public static partial void LayerDestroy(nint layer);
}
