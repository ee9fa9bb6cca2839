using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native.Experts;
using DeepSeek.Moe.Native.Kernels;

namespace DeepSeek.Moe.Native.Engine;

/// <summary>
/// The native backends, <c>native-cpu</c> and <c>native-cuda</c>: the gate and the experts are native kernels, the
/// managed <see cref="Routing.Router"/> routes (so routing matches the ONNX backends), and a sparse forward pass is one
/// <c>dsm_layer_forward</c> call.
/// </summary>
public static class NativeBackends
{
    /// <summary>The CPU library (AVX2/FMA, scalar fallback).</summary>
    public const string NativeCpu = "native-cpu";

    /// <summary>The CUDA library; only where it was built (a machine with a CUDA compiler).</summary>
    public const string NativeCuda = "native-cuda";

    /// <summary>Adds <see cref="NativeCpu"/> and <see cref="NativeCuda"/> to <see cref="MoeBackends"/>; calling it again changes nothing.</summary>
    public static void Register()
    {
        MoeBackends.Register(NativeCpu, (bundle, options) => Create(bundle, NativeDevice.Cpu, options));
        MoeBackends.Register(NativeCuda, (bundle, options) => Create(bundle, NativeDevice.Cuda, options));
    }

    /// <summary>Creates an engine whose gate, experts and layer run in a native library.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="device">The library.</param>
    /// <param name="options">Only <see cref="ExpertRuntimeOptions.IntraOpThreads"/> applies, to the CPU library and process-wide, when above 0. <value>Defaults to none.</value></param>
    /// <returns>The engine, named <c>native-cpu</c> or <c>native-cuda</c>.</returns>
    /// <exception cref="NotSupportedException">An expert kind has no native kernel.</exception>
    /// <exception cref="NativeException">The library rejected an expert or the layer.</exception>
    /// <exception cref="NativeLibraryLoadException">The library is missing (the CUDA one is built only where a CUDA compiler exists) or of another ABI version.</exception>
    public static MoeEngine Create(ModelBundle bundle, NativeDevice device, ExpertRuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (device == NativeDevice.Cpu && options is { IntraOpThreads: > 0 })
        {
            NativeKernels.SetNumThreads(options.IntraOpThreads);
        }

        var m = bundle.Manifest;
        var created = new List<IDisposable>();
        try
        {
            NativeExpertKernel Make(ExpertManifest e)
            {
                var kernel = NativeExpertKernel.Create(ExpertWeights.Read(Onnx.OnnxModelFile.Read(bundle.PathOf(e.File), e.File), e.Kind), device);
                created.Add(kernel);
                return kernel;
            }

            var experts = m.Experts.Select(Make).ToList();
            var shared = m.SharedExperts.Select(Make).ToList();
            var layer = NativeMoeLayer.Create(experts, shared);
            created.Add(layer);
            var gate = NativeGateKernel.FromBundle(bundle, device);
            return new MoeEngine(bundle, device == NativeDevice.Cuda ? NativeCuda : NativeCpu, gate, experts, shared, layer);
        }
        catch
        {
            created.ForEach(k => k.Dispose());
            throw;
        }
    }
}
