using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native.Experts;

namespace DeepSeek.Moe.Native.Tests.Experts;

public sealed class NativeExpertKernelTests
{
    // float32 with hidden widths up to 1024 against the double reference.
    private const double Tolerance = 1e-5;

    public static TheoryData<string, int, int, int> Shapes => new()
    {
        { "linear-layernorm-gelu", 1, 1, 1 },
        { "linear-layernorm-gelu", 7, 13, 5 },
        { "linear-layernorm-gelu", 256, 1024, 256 },
        { "swiglu", 9, 33, 17 },
        { "swiglu", 256, 1024, 256 },
        { "gated-swiglu", 24, 40, 24 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Run_EqualsReference(string kind, int dModel, int dHidden, int dOut)
    {
        var weights = Weights(kind, dModel, dHidden, dOut);
        using var kernel = NativeExpertKernel.Create(weights);
        const int rows = 11;
        var x = TestData.Gaussian(rows * dModel, seed: dModel);
        var y = new float[rows * dOut];

        kernel.Run(x, rows, y);

        var expected = Enumerable.Range(0, rows).SelectMany(r => ReferenceMoe.Expert(weights, x.AsSpan(r * dModel, dModel))).ToArray();
        Assert.InRange(TestData.MaxScaledError(y, expected), 0, Tolerance);
        Assert.Equal(weights.Kind, kernel.Kind);
        Assert.Equal((dModel, dOut), (kernel.InputWidth, kernel.OutputWidth));
    }

    [Fact]
    public void Run_ZeroRows_LeavesOutputAlone()
    {
        using var kernel = NativeExpertKernel.Create(ExpertWeightsFactory.SwiGlu(4, 8, 4, seed: 1));
        var y = new float[] { 7f };

        kernel.Run([], 0, y);

        Assert.Equal(7f, y[0]);
    }

    [Fact]
    public void Run_NaNRow_PropagatesToThatRowOnly()
    {
        using var kernel = NativeExpertKernel.Create(ExpertWeightsFactory.LinearLayerNormGelu(6, 10, 4, seed: 2));
        var x = TestData.Gaussian(3 * 6, seed: 3);
        x[6 + 1] = float.NaN;
        var y = new float[3 * 4];

        kernel.Run(x, 3, y);

        Assert.All(y.Skip(4).Take(4), v => Assert.True(float.IsNaN(v)));
        Assert.DoesNotContain(y.Take(4).Concat(y.Skip(8)), float.IsNaN);
    }

    [Fact]
    public void Run_NegativeRows_ThrowsWithTheNativeMessage()
    {
        using var kernel = NativeExpertKernel.Create(ExpertWeightsFactory.SwiGlu(4, 8, 4, seed: 1));

        var ex = Assert.Throws<NativeException>(() => kernel.Run([], -2, []));

        Assert.Equal(NativeStatus.InvalidArgument, ex.Status);
        Assert.False(string.IsNullOrWhiteSpace(ex.NativeMessage));
    }

    [Fact]
    public void Create_WeightShorterThanItsShape_Throws()
    {
        var good = ExpertWeightsFactory.LinearLayerNormGelu(4, 8, 4, seed: 1);
        var bad = good with { W2 = new float[31] };

        var ex = Assert.Throws<ArgumentException>(() => NativeExpertKernel.Create(bad));

        Assert.Equal("W2", ex.ParamName);
    }

    [Fact]
    public void Create_ZeroWidth_ThrowsWithTheNativeMessage()
    {
        var ex = Assert.Throws<NativeException>(() => NativeExpertKernel.Create(ExpertWeightsFactory.SwiGlu(0, 8, 4, seed: 1)));

        Assert.Equal(NativeStatus.InvalidArgument, ex.Status);
        Assert.Equal("dsm_expert_create_swiglu", ex.Function);
    }

    [Fact]
    public void Run_AfterDispose_Throws()
    {
        var kernel = NativeExpertKernel.Create(ExpertWeightsFactory.SwiGlu(4, 8, 4, seed: 1));
        kernel.Dispose();

        Assert.Throws<ObjectDisposedException>(() => kernel.Run(new float[4], 1, new float[4]));
    }

    private static ExpertWeights Weights(string kind, int dModel, int dHidden, int dOut) => kind switch
    {
        "linear-layernorm-gelu" => ExpertWeightsFactory.LinearLayerNormGelu(dModel, dHidden, dOut, seed: dHidden),
        "swiglu" => ExpertWeightsFactory.SwiGlu(dModel, dHidden, dOut, seed: dHidden),
        _ => ExpertWeightsFactory.SwiGlu(dModel, dHidden, dOut, seed: dHidden, gated: true),
    };
}
