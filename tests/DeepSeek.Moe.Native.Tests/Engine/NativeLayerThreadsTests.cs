using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native.Engine;
using DeepSeek.Moe.Native.Interop;
using DeepSeek.Moe.Native.Kernels;
using DeepSeek.Moe.Native.Tests.Experts;
using DeepSeek.Moe.Native.Tests.Kernels;

namespace DeepSeek.Moe.Native.Tests.Engine;

/// <summary>
/// With the CPU kernels set to one thread each (as for batchers that run one kernel per core), a layer pass asked
/// to run two experts at once dispatches them itself instead of making one single-threaded whole-layer call.
/// </summary>
[Collection(NativeSettingsCollection.Name)]
public sealed class NativeLayerThreadsTests(BundleFixture bundles) : IClassFixture<BundleFixture>
{
    [Fact]
    public void LayerParallelism_FollowsTheLibraryThreads()
    {
        var routed = Enumerable.Range(0, 3).Select(i => (ExpertWeights)ExpertWeightsFactory.SwiGlu(8, 16, 8, seed: i)).ToArray();
        using var kernels = new NativeExpertSet(routed, []);
        using var layer = NativeMoeLayer.Create(kernels.Routed, kernels.Shared);
        try
        {
            NativeKernels.SetNumThreads(1);
            Assert.Equal(1, NativeKernels.Threads);
            Assert.Equal(1, layer.Parallelism);
            NativeKernels.SetNumThreads(3);
            Assert.Equal(3, layer.Parallelism);
        }
        finally
        {
            NativeKernels.SetNumThreads(0);
        }

        Assert.Equal(Environment.ProcessorCount, layer.Parallelism);
    }

    [Fact]
    public void OneThreadPerKernel_TwoExpertsAtOnce_EqualsTheWholeLayerCall()
    {
        using var native = NativeBackends.Create(bundles.SwiGluShared, NativeDevice.Cpu);
        const int rows = 48;
        var x = TestData.Gaussian(rows * native.DModel, seed: 11);
        var routing = native.Route(x, rows, seed: 3);
        try
        {
            NativeKernels.SetNumThreads(1);

            var whole = native.ForwardRouted(x, rows, routing, parallelism: 1);
            var dispatched = native.ForwardRouted(x, rows, routing, parallelism: 2);

            // The same kernels per expert; only the combination moves from native code to managed code, in the same slot order.
            Assert.InRange(TestData.MaxAbsDiff(whole.Outputs, dispatched.Outputs), 0, 1e-5);
        }
        finally
        {
            NativeKernels.SetNumThreads(0);
        }
    }
}
