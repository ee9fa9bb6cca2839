using System.ComponentModel.DataAnnotations;

namespace DeepSeek.Moe.Experts;

/// <summary>How expert and gate sessions are created.</summary>
public sealed class ExpertRuntimeOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Moe:Runtime";

    /// <summary>Gets or sets the execution provider: <c>cpu</c>, <c>cuda</c> or <c>tensorrt</c>. <value>Defaults to <c>cpu</c>.</value></summary>
    [Required]
    [AllowedValues(ExecutionProviders.Cpu, ExecutionProviders.Cuda, ExecutionProviders.TensorRt)]
    public string ExecutionProvider { get; set; } = ExecutionProviders.Cpu;

    /// <summary>Gets or sets whether a provider that cannot load falls back to the CPU instead of failing. <value>Defaults to false.</value></summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Gets or sets the GPU device id for cuda and tensorrt. <value>Defaults to 0.</value></summary>
    [Range(0, 63)]
    public int DeviceId { get; set; }

    /// <summary>
    /// Gets or sets the intra-op threads of each session; 0 lets ONNX Runtime choose (one per physical core), except
    /// that a process allowed fewer CPUs than the machine has (a container's CPU limit, an affinity mask) gives each
    /// session one per CPU it may use. <value>Defaults to 0.</value>
    /// </summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Gets or sets whether TensorRT may build fp16 engines (<c>trt_fp16_enable</c>): faster, with fp16 rounding in
    /// the experts. The CUDA provider runs fp32 models in fp32; for fp16 there, quantize the bundle with
    /// <c>deepseek model quantize --fp16</c>. <value>Defaults to false.</value>
    /// </summary>
    public bool Fp16 { get; set; }

    /// <summary>
    /// Gets or sets whether the CUDA provider may use TF32 tensor cores for fp32 MatMuls (<c>use_tf32</c>; about
    /// 1e-3 relative error). <value>Defaults to false: fp32 results stay fp32.</value>
    /// </summary>
    public bool AllowTf32 { get; set; }

    /// <summary>
    /// Gets or sets the folder where TensorRT keeps built engines and timing caches between starts
    /// (<c>trt_engine_cache_path</c>, <c>trt_timing_cache_path</c>); empty builds engines at every start.
    /// <value>Defaults to empty.</value>
    /// </summary>
    public string? TensorRtEngineCachePath { get; set; }

    /// <summary>Gets or sets TensorRT's builder workspace in bytes (<c>trt_max_workspace_size</c>); 0 keeps its default. <value>Defaults to 0.</value></summary>
    [Range(0, long.MaxValue)]
    public long TensorRtMaxWorkspaceBytes { get; set; }

    /// <summary>Gets or sets the CUDA provider's memory arena limit in bytes (<c>gpu_mem_limit</c>); 0 is unlimited. <value>Defaults to 0.</value></summary>
    [Range(0, long.MaxValue)]
    public long CudaMemoryLimitBytes { get; set; }

    /// <summary>Gets or sets the graph optimization level: <c>none</c>, <c>basic</c>, <c>extended</c> or <c>all</c>. <value>Defaults to <c>all</c>.</value></summary>
    [Required]
    [AllowedValues("none", "basic", "extended", "all")]
    public string GraphOptimization { get; set; } = "all";
}
