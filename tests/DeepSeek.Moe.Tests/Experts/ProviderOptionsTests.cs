using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Tests.Experts;

public sealed class ProviderOptionsTests
{
    [Fact]
    public void Defaults_KeepFp32_OnDeviceZero()
    {
        var options = new ExpertRuntimeOptions();

        var cuda = ProviderOptions.Cuda(options);
        var trt = ProviderOptions.TensorRt(options);

        Assert.Equal("0", cuda["device_id"]);
        Assert.Equal("0", cuda["use_tf32"]);
        Assert.False(cuda.ContainsKey("gpu_mem_limit"));
        Assert.Equal("0", trt["trt_fp16_enable"]);
        Assert.False(trt.ContainsKey("trt_engine_cache_enable"));
    }

    [Fact]
    public void Settings_MapToOnnxRuntimeKeys()
    {
        using var folder = new TempFolder();
        var options = new ExpertRuntimeOptions
        {
            DeviceId = 3,
            Fp16 = true,
            AllowTf32 = true,
            TensorRtEngineCachePath = folder.Sub("trt-cache"),
            TensorRtMaxWorkspaceBytes = 2L << 30,
            CudaMemoryLimitBytes = 8L << 30,
        };

        var cuda = ProviderOptions.Cuda(options);
        var trt = ProviderOptions.TensorRt(options);

        Assert.Equal("3", cuda["device_id"]);
        Assert.Equal("1", cuda["use_tf32"]);
        Assert.Equal((8L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture), cuda["gpu_mem_limit"]);
        Assert.Equal("3", trt["device_id"]);
        Assert.Equal("1", trt["trt_fp16_enable"]);
        Assert.Equal("1", trt["trt_engine_cache_enable"]);
        Assert.Equal(Path.GetFullPath(folder.Sub("trt-cache")), trt["trt_engine_cache_path"]);
        Assert.Equal(trt["trt_engine_cache_path"], trt["trt_timing_cache_path"]);
        Assert.Equal((2L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture), trt["trt_max_workspace_size"]);
    }
}
