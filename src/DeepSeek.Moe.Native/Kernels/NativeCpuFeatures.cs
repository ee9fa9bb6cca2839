namespace DeepSeek.Moe.Native.Kernels;

/// <summary>CPU features the library detected (<c>DSM_CPU_*</c>).</summary>
[Flags]
public enum NativeCpuFeatures
{
    /// <summary>None of the features below.</summary>
    None = 0,

    /// <summary>AVX2.</summary>
    Avx2 = 1,

    /// <summary>Fused multiply-add.</summary>
    Fma = 2,

    /// <summary>AVX-512 Foundation.</summary>
    Avx512F = 4,
}
