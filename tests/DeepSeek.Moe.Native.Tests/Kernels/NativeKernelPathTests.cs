using DeepSeek.Moe.Native.Kernels;

namespace DeepSeek.Moe.Native.Tests.Kernels;

/// <summary>Both kernel families and any thread count give the reference's results. These change process-wide settings, so they run alone.</summary>
[Collection(NativeSettingsCollection.Name)]
public sealed class NativeKernelPathTests
{
    private const double LayerNormTolerance = 1e-5;
    private const double GemmTolerance = 1e-6;

    public static TheoryData<NativeKernelPath> Paths => [NativeKernelPath.Scalar, NativeKernelPath.Avx2];

    [Theory]
    [MemberData(nameof(Paths))]
    public void LayerNormGelu_EachPath_EqualsReference(NativeKernelPath path)
    {
        if (!Use(path))
        {
            return;
        }

        try
        {
            var (x, gamma, beta) = NativeKernelsTests.LayerNormInputs(13, 1031, seed: 21);
            var y = new float[x.Length];

            NativeKernels.LayerNormGelu(x, gamma, beta, y, 13, 1031, 1e-5f);

            Assert.InRange(TestData.MaxScaledError(y, ManagedReference.LayerNormGelu(x, gamma, beta, 13, 1031, 1e-5f)), 0, LayerNormTolerance);
        }
        finally
        {
            NativeKernels.SetKernelPath(NativeKernelPath.Detect);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sgemm_EachPath_EqualsNaiveGemm(NativeKernelPath path)
    {
        if (!Use(path))
        {
            return;
        }

        try
        {
            const int m = 37, n = 70, k = 129;
            var a = TestData.Gaussian(m * k, seed: 1);
            var b = TestData.Gaussian(k * n, seed: 2);
            var c = new float[m * n];

            NativeKernels.Sgemm(m, n, k, a, b, c);

            var (expected, abs) = ManagedReference.Gemm(m, n, k, a, b);
            for (int i = 0; i < c.Length; i++)
            {
                Assert.InRange(Math.Abs(c[i] - expected[i]), 0, GemmTolerance * abs[i] + 1e-7);
            }
        }
        finally
        {
            NativeKernels.SetKernelPath(NativeKernelPath.Detect);
        }
    }

    [Fact]
    public void SetKernelPath_Avx2_SucceedsExactlyWhereTheCpuHasAvx2AndFma()
    {
        bool hasAvx2 = NativeKernels.CpuFeatures().HasFlag(NativeCpuFeatures.Avx2 | NativeCpuFeatures.Fma);
        if (hasAvx2)
        {
            NativeKernels.SetKernelPath(NativeKernelPath.Avx2);
            NativeKernels.SetKernelPath(NativeKernelPath.Detect);
            return;
        }

        var ex = Assert.Throws<NativeException>(() => NativeKernels.SetKernelPath(NativeKernelPath.Avx2));
        Assert.Equal(NativeStatus.Unsupported, ex.Status);
    }

    [Fact]
    public void CpuFeatures_MatchTheRuntimesView()
    {
        var features = NativeKernels.CpuFeatures();

        Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported, features.HasFlag(NativeCpuFeatures.Avx2));
        Assert.Equal(System.Runtime.Intrinsics.X86.Fma.IsSupported, features.HasFlag(NativeCpuFeatures.Fma));
    }

    [Fact]
    public void SetNumThreads_OneThread_GivesTheSameLayerOutputs()
    {
        var (x, gamma, beta) = NativeKernelsTests.LayerNormInputs(256, 1024, seed: 8);
        var many = new float[x.Length];
        var one = new float[x.Length];
        NativeKernels.LayerNormGelu(x, gamma, beta, many, 256, 1024, 1e-5f);
        try
        {
            NativeKernels.SetNumThreads(1);
            NativeKernels.LayerNormGelu(x, gamma, beta, one, 256, 1024, 1e-5f);
        }
        finally
        {
            NativeKernels.SetNumThreads(0);
        }

        Assert.Equal(many, one);
    }

    private static bool Use(NativeKernelPath path)
    {
        if (path == NativeKernelPath.Avx2 && !NativeKernels.CpuFeatures().HasFlag(NativeCpuFeatures.Avx2 | NativeCpuFeatures.Fma))
        {
            return false;
        }

        NativeKernels.SetKernelPath(path);
        return true;
    }
}
