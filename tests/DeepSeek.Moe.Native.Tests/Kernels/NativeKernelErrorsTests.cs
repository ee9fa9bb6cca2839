using DeepSeek.Moe.Native.Kernels;

namespace DeepSeek.Moe.Native.Tests.Kernels;

public sealed class NativeKernelErrorsTests
{
    [Fact]
    public void LayerNormGelu_NegativeRows_ThrowsWithTheNativeMessage()
    {
        var ex = Assert.Throws<NativeException>(() => NativeKernels.LayerNormGelu([1f], [1f], [0f], new float[1], -1, 1, 1e-5f));

        AssertNative(ex, NativeStatus.InvalidArgument, "dsm_layernorm_gelu_f32");
    }

    [Fact]
    public void TopKGate_KAboveExperts_ThrowsWithTheNativeMessage()
    {
        var ex = Assert.Throws<NativeException>(() => NativeKernels.TopKGate(new float[4], 1, 4, 5, 1f, new int[5], new float[5]));

        AssertNative(ex, NativeStatus.InvalidArgument, "dsm_topk_gate_f32");
    }

    [Fact]
    public void TopKGate_ZeroTemperature_ThrowsWithTheNativeMessage()
    {
        var ex = Assert.Throws<NativeException>(() => NativeKernels.TopKGate(new float[4], 1, 4, 2, 0f, new int[2], new float[2]));

        AssertNative(ex, NativeStatus.InvalidArgument, "dsm_topk_gate_f32");
    }

    [Fact]
    public void Sgemm_NegativeSize_ThrowsWithTheNativeMessage()
    {
        var ex = Assert.Throws<NativeException>(() => NativeKernels.Sgemm(2, -3, 2, new float[4], [], []));

        AssertNative(ex, NativeStatus.InvalidArgument, "dsm_sgemm_f32");
    }

    [Fact]
    public void SetNumThreads_Negative_ThrowsWithTheNativeMessage()
    {
        var ex = Assert.Throws<NativeException>(() => NativeKernels.SetNumThreads(-1));

        AssertNative(ex, NativeStatus.InvalidArgument, "dsm_set_num_threads");
    }

    [Fact]
    public void LayerNorm_OutputTooShort_ThrowsBeforeReachingNativeCode()
    {
        var ex = Assert.Throws<ArgumentException>(() => NativeKernels.LayerNorm(new float[6], new float[3], new float[3], new float[5], 2, 3, 1e-5f));

        Assert.Equal("y", ex.ParamName);
    }

    [Fact]
    public void TopKGate_IndicesTooShort_ThrowsBeforeReachingNativeCode()
    {
        var ex = Assert.Throws<ArgumentException>(() => NativeKernels.TopKGate(new float[8], 2, 4, 2, 1f, new int[3], new float[4]));

        Assert.Equal("indices", ex.ParamName);
    }

    private static void AssertNative(NativeException ex, NativeStatus status, string function)
    {
        Assert.Equal(status, ex.Status);
        Assert.Equal(function, ex.Function);
        Assert.False(string.IsNullOrWhiteSpace(ex.NativeMessage), "the native library gave no message");
        Assert.Contains(ex.NativeMessage, ex.Message, StringComparison.Ordinal);
    }
}
