namespace DeepSeek.Moe.Experts;

/// <summary>The configured execution provider could not be loaded and no CPU fallback was configured.</summary>
public sealed class ExecutionProviderUnavailableException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="provider">The provider asked for.</param>
    /// <param name="inner">Why ONNX Runtime refused it.</param>
    public ExecutionProviderUnavailableException(string provider, Exception inner)
        : base($"The ONNX Runtime execution provider '{provider}' cannot be loaded here: {inner?.Message} " +
               $"Build with the GPU runtime (-p:OnnxRuntimeFlavor=gpu) on a machine with CUDA, choose 'cpu', " +
               $"or set {ExpertRuntimeOptions.SectionName}:{nameof(ExpertRuntimeOptions.FallbackToCpu)}=true to run on the CPU instead.", inner)
    {
        Provider = provider;
    }

    /// <summary>Gets the provider that failed.</summary>
    public string Provider { get; }
}
