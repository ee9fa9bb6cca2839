namespace DeepSeek.Moe.Experts;

/// <summary>Names of the ONNX Runtime execution providers an engine can ask for.</summary>
public static class ExecutionProviders
{
    /// <summary>The CPU provider (always available).</summary>
    public const string Cpu = "cpu";

    /// <summary>The CUDA provider (needs the GPU build of ONNX Runtime and CUDA at run time).</summary>
    public const string Cuda = "cuda";

    /// <summary>The TensorRT provider, with CUDA behind it for unsupported nodes.</summary>
    public const string TensorRt = "tensorrt";

    /// <summary>Gets every known provider name.</summary>
    public static IReadOnlyList<string> All { get; } = [Cpu, Cuda, TensorRt];
}
