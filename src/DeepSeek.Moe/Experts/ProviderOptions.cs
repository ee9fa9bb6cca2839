using System.Globalization;

namespace DeepSeek.Moe.Experts;

/// <summary>
/// The CUDA and TensorRT provider options (ONNX Runtime's key names) that <see cref="ExpertRuntimeOptions"/>
/// asks for: one place, so what a configuration turns on can be read and tested without a GPU.
/// </summary>
public static class ProviderOptions
{
    /// <summary>The CUDA execution provider's options.</summary>
    /// <param name="options">The runtime options.</param>
    /// <returns>Key to value.</returns>
    public static IReadOnlyDictionary<string, string> Cuda(ExpertRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cuda = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = Text(options.DeviceId),
            ["use_tf32"] = options.AllowTf32 ? "1" : "0",
        };
        if (options.CudaMemoryLimitBytes > 0)
        {
            cuda["gpu_mem_limit"] = Text(options.CudaMemoryLimitBytes);
        }

        return cuda;
    }

    /// <summary>The TensorRT execution provider's options.</summary>
    /// <param name="options">The runtime options.</param>
    /// <returns>Key to value.</returns>
    public static IReadOnlyDictionary<string, string> TensorRt(ExpertRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var trt = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = Text(options.DeviceId),
            ["trt_fp16_enable"] = options.Fp16 ? "1" : "0",
        };
        if (!string.IsNullOrWhiteSpace(options.TensorRtEngineCachePath))
        {
            string path = Path.GetFullPath(options.TensorRtEngineCachePath);
            trt["trt_engine_cache_enable"] = "1";
            trt["trt_engine_cache_path"] = path;
            trt["trt_timing_cache_enable"] = "1";
            trt["trt_timing_cache_path"] = path;
        }

        if (options.TensorRtMaxWorkspaceBytes > 0)
        {
            trt["trt_max_workspace_size"] = Text(options.TensorRtMaxWorkspaceBytes);
        }

        return trt;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
