using Microsoft.ML.OnnxRuntime;

namespace DeepSeek.Moe.Experts;

/// <summary>Creates ONNX Runtime sessions with the configured provider, threads and optimization level.</summary>
public sealed class OnnxSessionFactory
{
    private readonly ExpertRuntimeOptions _options;

    /// <summary>Initializes a factory.</summary>
    /// <param name="options">The runtime options.</param>
    public OnnxSessionFactory(ExpertRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ExecutionProviders.All.Contains(options.ExecutionProvider))
        {
            throw new ArgumentException($"Unknown execution provider '{options.ExecutionProvider}'; expected one of {string.Join(", ", ExecutionProviders.All)}.", nameof(options));
        }

        _options = options;
    }

    /// <summary>Gets the provider sessions actually run on, once the first session is created.</summary>
    public string? ActiveProvider { get; private set; }

    /// <summary>Creates a session for a model file.</summary>
    /// <param name="path">The ONNX file.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ExecutionProviderUnavailableException">The provider cannot load and no fallback is configured.</exception>
    public InferenceSession Create(string path)
    {
        return Create(options => new InferenceSession(path, options));
    }

    /// <summary>Creates a session for a model held in memory (a graph built on the fly).</summary>
    /// <param name="model">The serialized ONNX model.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ExecutionProviderUnavailableException">The provider cannot load and no fallback is configured.</exception>
    public InferenceSession Create(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(options => new InferenceSession(model, options));
    }

    private InferenceSession Create(Func<SessionOptions, InferenceSession> open)
    {
        using var options = NewOptions();
        string provider = _options.ExecutionProvider;
        if (provider != ExecutionProviders.Cpu && ActiveProvider != ExecutionProviders.Cpu)
        {
            try
            {
                if (provider == ExecutionProviders.TensorRt)
                {
                    using var trt = new OrtTensorRTProviderOptions();
                    trt.UpdateOptions(new Dictionary<string, string>(ProviderOptions.TensorRt(_options)));
                    options.AppendExecutionProvider_Tensorrt(trt);
                }

                // TensorRT takes the subgraphs it can; CUDA runs the rest.
                using var cuda = new OrtCUDAProviderOptions();
                cuda.UpdateOptions(new Dictionary<string, string>(ProviderOptions.Cuda(_options)));
                options.AppendExecutionProvider_CUDA(cuda);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or TypeInitializationException)
            {
                if (!_options.FallbackToCpu)
                {
                    throw new ExecutionProviderUnavailableException(provider, ex);
                }

                using var cpuOptions = NewOptions();
                ActiveProvider = ExecutionProviders.Cpu;
                return open(cpuOptions);
            }
        }

        ActiveProvider ??= provider;
        return open(options);
    }

    private SessionOptions NewOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = _options.GraphOptimization switch
            {
                "none" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                "all" => GraphOptimizationLevel.ORT_ENABLE_ALL,
                _ => throw new ArgumentException($"Unknown graph optimization level '{_options.GraphOptimization}'; expected none, basic, extended or all."),
            },
            IntraOpNumThreads = IntraOpThreads.For(_options.IntraOpThreads),
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };

        // An engine holds one session per expert, each with its own intra-op pool; spinning workers of idle
        // sessions steal the cores the running one needs (measured: 8x slower with 2 threads on 2 cores).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
