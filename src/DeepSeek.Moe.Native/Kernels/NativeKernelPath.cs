namespace DeepSeek.Moe.Native.Kernels;

/// <summary>Which kernel family the CPU library runs (<c>dsm_set_kernel_path</c>).</summary>
public enum NativeKernelPath
{
    /// <summary>The best the CPU supports, detected at run time (the default).</summary>
    Detect = 0,

    /// <summary>Plain C++ loops on any CPU.</summary>
    Scalar = 1,

    /// <summary>AVX2 and FMA; refused where the CPU lacks them.</summary>
    Avx2 = 2,
}
