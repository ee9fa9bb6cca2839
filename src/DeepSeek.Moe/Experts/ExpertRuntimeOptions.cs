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

    /// <summary>Gets or sets the intra-op threads of each session; 0 lets ONNX Runtime use every core. <value>Defaults to 0.</value></summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>Gets or sets the graph optimization level: <c>none</c>, <c>basic</c>, <c>extended</c> or <c>all</c>. <value>Defaults to <c>all</c>.</value></summary>
    [Required]
    [AllowedValues("none", "basic", "extended", "all")]
    public string GraphOptimization { get; set; } = "all";
}
