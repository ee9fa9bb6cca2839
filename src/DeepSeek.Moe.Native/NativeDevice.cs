namespace DeepSeek.Moe.Native;

/// <summary>Which build of the native library runs a kernel; both export the same ABI.</summary>
public enum NativeDevice
{
    /// <summary>The CPU library, <c>libdeepseek_moe</c> (AVX2/FMA with a scalar fallback).</summary>
    Cpu = 0,

    /// <summary>The CUDA library, <c>libdeepseek_moe_cuda</c>, built only where a CUDA compiler exists.</summary>
    Cuda = 1,
}
