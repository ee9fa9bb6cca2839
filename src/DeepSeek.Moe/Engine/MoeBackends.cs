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

    private static readonly Lock s_lock = new();
    private static readonly List<(string Name, Func<ModelBundle, ExpertRuntimeOptions, MoeEngine> Factory)> s_registered = [];

    /// <summary>Gets the backends this process offers: the ONNX Runtime ones, then those added with <see cref="Register"/> in the order they were added.</summary>
    public static IReadOnlyList<string> All
    {
        get
        {
            lock (s_lock)
            {
                return [OnnxCpu, OnnxCuda, OnnxTensorRt, .. s_registered.Select(r => r.Name)];
            }
        }
    }

    /// <summary>
    /// Adds a backend that another assembly implements (this one cannot reference it), for example the native
    /// kernels of DeepSeek.Moe.Native. Registering a name again replaces its factory.
    /// </summary>
    /// <param name="name">The backend name, for example <c>native-cpu</c>.</param>
    /// <param name="factory">Creates an engine for a bundle; it receives the caller's runtime options.</param>
    /// <exception cref="ArgumentException">The name is empty or one of the ONNX Runtime backends.</exception>
    public static void Register(string name, Func<ModelBundle, ExpertRuntimeOptions, MoeEngine> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (name is OnnxCpu or OnnxCuda or OnnxTensorRt)
        {
            throw new ArgumentException($"'{name}' is a built-in backend and cannot be replaced.", nameof(name));
        }

        lock (s_lock)
        {
            s_registered.RemoveAll(r => r.Name == name);
            s_registered.Add((name, factory));
        }
    }

    /// <summary>Creates an engine on a named backend.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="backend">One of <see cref="All"/>.</param>
    /// <param name="options">Session options (not modified); the backend name sets the provider. <value>Defaults to ONNX Runtime defaults.</value></param>
    /// <returns>The engine.</returns>
    /// <exception cref="ArgumentException">The backend name is unknown.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The provider cannot load and no fallback is configured.</exception>
    public static MoeEngine Create(ModelBundle bundle, string backend, ExpertRuntimeOptions? options = null)
    {
        options ??= new ExpertRuntimeOptions();
        Func<ModelBundle, ExpertRuntimeOptions, MoeEngine>? registered;
        lock (s_lock)
        {
            registered = s_registered.Find(r => r.Name == backend).Factory;
        }

        if (registered is not null)
        {
            return registered(bundle, options);
        }

        // The backend name decides the provider; the caller's options (often a shared singleton) stay untouched.
        var sessionOptions = new ExpertRuntimeOptions
        {
            ExecutionProvider = backend switch
            {
                OnnxCpu => ExecutionProviders.Cpu,
                OnnxCuda => ExecutionProviders.Cuda,
                OnnxTensorRt => ExecutionProviders.TensorRt,
                _ => throw new ArgumentException($"Unknown backend '{backend}'; this build offers {string.Join(", ", All)}.", nameof(backend)),
            },
            FallbackToCpu = options.FallbackToCpu,
            DeviceId = options.DeviceId,
            IntraOpThreads = options.IntraOpThreads,
            GraphOptimization = options.GraphOptimization,
        };
        return MoeEngine.CreateOnnx(bundle, sessionOptions);
    }
}
