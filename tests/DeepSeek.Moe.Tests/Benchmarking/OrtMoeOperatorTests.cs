using DeepSeek.Moe.Benchmarking;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;

namespace DeepSeek.Moe.Tests.Benchmarking;

public sealed class OrtMoeOperatorTests : IDisposable
{
    // Both sides compute in float32 with MLAS GEMMs but sum in different orders (ORT per expert thread, then
    // across threads in double; the engine per slot): observed differences are ~2e-6 on outputs of order 1.
    private const double Tolerance = 1e-4;

    private static readonly DemoBundleOptions s_swiGlu = new()
    {
        ExpertKind = ExpertKinds.SwiGlu, DModel = 64, DFf = 128, Experts = 8, TopK = 2,
    };

    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData(1)]
    [InlineData(257)]
    public void Run_SwiGluBundle_MatchesEngine(int rows)
    {
        var bundle = DemoBundle.Create(_folder.Sub("swiglu"), s_swiGlu);
        using var engine = MoeEngine.CreateOnnx(bundle);
        using var op = OrtMoeOperator.Create(bundle);
        var x = TestData.Gaussian(rows * bundle.Manifest.DModel, seed: 11);

        var expected = engine.Forward(x, rows, seed: 0).Outputs;
        var actual = op.Run(x, rows);

        Assert.InRange(TestData.MaxAbsDiff(expected, actual), 0, Tolerance);
        Assert.Contains(actual, v => Math.Abs(v) > 0.1f);
    }

    [Fact]
    public void Run_WithoutRenormalization_MatchesEngine()
    {
        var dir = _folder.Sub("plain");
        var bundle = DemoBundle.Create(dir, s_swiGlu);
        Rewrite(bundle, r => r with { Renormalize = false });
        bundle = ModelBundle.Load(dir);
        using var engine = MoeEngine.CreateOnnx(bundle);
        using var op = OrtMoeOperator.Create(bundle);
        var x = TestData.Gaussian(32 * bundle.Manifest.DModel, seed: 5);

        Assert.InRange(TestData.MaxAbsDiff(engine.Forward(x, 32, seed: 0).Outputs, op.Run(x, 32)), 0, Tolerance);
    }

    [Fact]
    public void Run_ZeroRows_ReturnsEmpty()
    {
        using var op = OrtMoeOperator.Create(DemoBundle.Create(_folder.Sub("swiglu"), s_swiGlu));

        Assert.Empty(op.Run([], 0));
    }

    [Fact]
    public void Create_LinearLayerNormGeluBundle_ThrowsNamingTheKind()
    {
        var bundle = DemoBundle.Create(_folder.Sub("demo"), new DemoBundleOptions { DModel = 16, DFf = 32, Experts = 4 });

        var ex = Assert.Throws<ArgumentException>(() => OrtMoeOperator.Create(bundle));
        Assert.Contains(ExpertKinds.LinearLayerNormGelu, ex.Message, StringComparison.Ordinal);
        Assert.Contains("noise", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SigmoidScoring_Throws()
    {
        var dir = _folder.Sub("sigmoid");
        Rewrite(DemoBundle.Create(dir, s_swiGlu), r => r with { Scoring = ScoringFunctions.Sigmoid });

        var ex = Assert.Throws<ArgumentException>(() => OrtMoeOperator.Create(ModelBundle.Load(dir)));
        Assert.Contains("softmax", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private static void Rewrite(ModelBundle bundle, Func<RoutingSettings, RoutingSettings> change) =>
        ModelBundle.WriteManifest(bundle.Directory, bundle.Manifest with { Routing = change(bundle.Manifest.Routing) });
}
