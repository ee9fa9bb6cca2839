using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Native.Tests.Experts;

/// <summary>Random expert weights of any shape (the demo's scales), for kernels tested without a bundle.</summary>
internal static class ExpertWeightsFactory
{
    public static LinearLayerNormGeluWeights LinearLayerNormGelu(int dModel, int dHidden, int dOut, int seed) =>
        new(dModel, dHidden, dOut,
            TestData.Gaussian(dModel * dHidden, seed, 1 / Math.Sqrt(dModel)),
            TestData.Gaussian(dHidden, seed + 1, 0.02),
            TestData.Gaussian(dHidden, seed + 2, 0.1, mean: 1),
            TestData.Gaussian(dHidden, seed + 3, 0.1),
            TestData.Gaussian(dHidden * dOut, seed + 4, 1 / Math.Sqrt(dHidden)),
            TestData.Gaussian(dOut, seed + 5, 0.02));

    public static SwiGluWeights SwiGlu(int dModel, int dHidden, int dOut, int seed, bool gated = false) =>
        new(dModel, dHidden, dOut,
            TestData.Gaussian(dModel * dHidden, seed, 1 / Math.Sqrt(dModel)),
            TestData.Gaussian(dModel * dHidden, seed + 1, 1 / Math.Sqrt(dModel)),
            TestData.Gaussian(dHidden * dOut, seed + 2, 1 / Math.Sqrt(dHidden)),
            gated ? TestData.Gaussian(dModel, seed + 3, 1 / Math.Sqrt(dModel)) : null);
}
