using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Engine;

/// <summary>The expert backends an engine can be built on, by the names configuration and <c>--backend</c> use.</summary>
public static class MoeBackends
{
    /// <summary>ONNX Runtime on the CPU.</summary>
    public const string OnnxCpu = "onnx-cpu";

    /// <summary>ONNX Runtime with the CUDA provider.</summary>
    public const string OnnxCuda = "onnx-cuda";

    /// <summary>ONNX Runtime with the TensorRT provider.</summary>
    public const string OnnxTensorRt = "onnx-tensorrt";

    /// <summary>Gets the backends this build offers.</summary>
    public static IReadOnlyList<string> All { get; } = [OnnxCpu, OnnxCuda, OnnxTensorRt];

    /// <summary>Creates an engine on a named backend.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="backend">One of <see cref="All"/>.</param>
    /// <param name="options">Session options; the backend name sets the provider. <value>Defaults to ONNX Runtime defaults.</value></param>
    /// <returns>The engine.</returns>
    /// <exception cref="ArgumentException">The backend name is unknown.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The provider cannot load and no fallback is configured.</exception>
    public static MoeEngine Create(ModelBundle bundle, string backend, ExpertRuntimeOptions? options = null)
    {
        options ??= new ExpertRuntimeOptions();
        options.ExecutionProvider = backend switch
        {
            OnnxCpu => ExecutionProviders.Cpu,
            OnnxCuda => ExecutionProviders.Cuda,
            OnnxTensorRt => ExecutionProviders.TensorRt,
            _ => throw new ArgumentException($"Unknown backend '{backend}'; this build offers {string.Join(", ", All)}.", nameof(backend)),
        };
        return MoeEngine.CreateOnnx(bundle, options);
    }
}
