using System.Runtime.InteropServices;

namespace DeepSeek.Moe.Native.Interop;

/// <summary>The CPU library's exports (<c>native/include/deepseek_moe.h</c>): blittable signatures only, handles through their SafeHandles.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Library = NativeLibraryResolver.CpuLibrary;

    // Explicit so that it runs before the first import binds, which is when the resolver is needed.
    static NativeMethods() => NativeLibraryResolver.Register();

    [LibraryImport(Library, EntryPoint = "dsm_last_error")]
    public static partial byte* LastError();

    [LibraryImport(Library, EntryPoint = "dsm_cpu_features")]
    public static partial int CpuFeatures();

    [LibraryImport(Library, EntryPoint = "dsm_set_kernel_path")]
    public static partial int SetKernelPath(int path);

    [LibraryImport(Library, EntryPoint = "dsm_set_num_threads")]
    public static partial int SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "dsm_get_num_threads")]
    public static partial int GetNumThreads();

    [LibraryImport(Library, EntryPoint = "dsm_layernorm_gelu_f32")]
    public static partial int LayerNormGelu(float* x, float* gamma, float* beta, float* y, long rows, long cols, float eps);

    [LibraryImport(Library, EntryPoint = "dsm_layernorm_f32")]
    public static partial int LayerNorm(float* x, float* gamma, float* beta, float* y, long rows, long cols, float eps);

    [LibraryImport(Library, EntryPoint = "dsm_gelu_f32")]
    public static partial int Gelu(float* x, float* y, long count);

    [LibraryImport(Library, EntryPoint = "dsm_topk_gate_f32")]
    public static partial int TopKGate(float* logits, long rows, long experts, int k, float temperature, int* idx, float* weight);

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
