using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Import;

namespace DeepSeek.Moe.Tests.Import;

public sealed partial class HfImporterTests : IDisposable
{
    // The reference runs in double; ONNX Runtime in float32 over 32- to 96-term dot products.
    private const double Tolerance = 1e-4;
    private const int Rows = 64;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("F32")]
    [InlineData("BF16")]
    public void Import_Mixtral_MatchesHfComputation(string dtype)
    {
        var c = FakeModels.Mixtral();

        var bundle = Import(c, dtype);

        AssertMatches(bundle, c, HfReference.Mixtral);
        var m = bundle.Manifest;
        Assert.Equal("mixtral-layer1", m.Id);
        Assert.StartsWith("mixtral-layer1+", m.Version, StringComparison.Ordinal);
        Assert.Equal(FakeModels.Experts, m.Experts.Count);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], m.Experts.Select(e => e.Shard));
        Assert.All(m.Experts, e => Assert.Equal(ExpertKinds.SwiGlu, e.Kind));
        Assert.Empty(m.SharedExperts);
        Assert.Contains("tests/tiny-mixtral", m.Source, StringComparison.Ordinal);
        Assert.Contains(dtype, m.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("F32")]
    [InlineData("BF16")]
    public void Import_DeepSeekV3_MatchesHfComputation(string dtype)
    {
        var c = FakeModels.DeepSeekV3();

        var bundle = Import(c, dtype);

        var expected = AssertMatches(bundle, c, HfReference.DeepSeekV3);
        var r = bundle.Manifest.Routing;
        Assert.Equal((ScoringFunctions.Sigmoid, 4, 2, GroupScoring.Top2Sum, true, 2.5f), (r.Scoring, r.NGroup, r.TopkGroup, r.GroupScore, r.Renormalize, r.RoutedScalingFactor));
        Assert.Equal(c[FakeModels.Prefix("deepseek_v3") + "gate.e_score_correction_bias"], r.CorrectionBias);
        var shared = Assert.Single(bundle.Manifest.SharedExperts);
        Assert.Equal((ExpertKinds.SwiGlu, FakeModels.Width * 2, "shared_000.onnx"), (shared.Kind, shared.DHidden, shared.File));

        // The bias and the group limit must change some choices, or this test could not tell them from plain top-k.
        Assert.Contains(Enumerable.Range(0, Rows), row => !expected.Chosen[row].Order().SequenceEqual(PlainTopK(c, "deepseek_v3", row)));
    }

    [Theory]
    [InlineData("group_limited_greedy", true, 1f)]
    [InlineData("group_limited_greedy", false, 3f)]
    [InlineData("greedy", false, 3f)]
    [InlineData("greedy", true, 1f)]
    public void Import_DeepSeekV2_MatchesHfComputation(string topkMethod, bool normTopkProb, float expectedScaling)
    {
        var c = FakeModels.DeepSeekV2(topkMethod, normTopkProb);

        var bundle = Import(c, "BF16");

        AssertMatches(bundle, c, HfReference.DeepSeekV2);
        var r = bundle.Manifest.Routing;
        Assert.Equal((ScoringFunctions.Softmax, normTopkProb, expectedScaling, GroupScoring.Max), (r.Scoring, r.Renormalize, r.RoutedScalingFactor, r.GroupScore));
        Assert.Equal(topkMethod == "greedy" ? 1 : 4, r.NGroup);
        Assert.Null(r.CorrectionBias);
    }

    [Theory]
    [InlineData("F32")]
    [InlineData("BF16")]
    public void Import_Qwen2MoeWithGatedSharedExpert_MatchesHfComputation(string dtype)
    {
        var c = FakeModels.Qwen(qwen3: false, sharedExpert: true);

        var bundle = Import(c, dtype);

        AssertMatches(bundle, c, HfReference.Qwen);
        Assert.False(bundle.Manifest.Routing.Renormalize);
        var shared = Assert.Single(bundle.Manifest.SharedExperts);
        Assert.Equal((ExpertKinds.GatedSwiGlu, 64), (shared.Kind, shared.DHidden));
    }

    [Theory]
    [InlineData(false, "F32")]
    [InlineData(true, "F16")]
    public void Import_Qwen3Moe_MatchesHfComputation(bool sharedExpert, string dtype)
    {
        var c = FakeModels.Qwen(qwen3: true, sharedExpert);

        var bundle = Import(c, dtype);

        AssertMatches(bundle, c, HfReference.Qwen);
        Assert.True(bundle.Manifest.Routing.Renormalize);
        Assert.Equal(sharedExpert ? 1 : 0, bundle.Manifest.SharedExperts.Count);
    }

    [Fact]
    public void Import_ShardedCheckpoint_MatchesHfComputation()
    {
        var c = FakeModels.DeepSeekV3();
        var hf = c.Write(_temp.Sub("hf"), "BF16", shards: 3);
        Assert.True(File.Exists(Path.Combine(hf, "model.safetensors.index.json")));
        Assert.False(File.Exists(Path.Combine(hf, "model.safetensors")));

        var bundle = HfImporter.Import(hf, FakeModels.Layer, _temp.Sub("bundle"), id: "tiny-v3", shards: 2);

        AssertMatches(bundle, c, HfReference.DeepSeekV3);
        Assert.Equal("tiny-v3", bundle.Manifest.Id);
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1], bundle.Manifest.Experts.Select(e => e.Shard));
    }

    [Fact]
    public void Import_SameCheckpointTwice_GivesSameVersion()
    {
        var hf = FakeModels.Mixtral().Write(_temp.Sub("hf"));

        var first = HfImporter.Import(hf, FakeModels.Layer, _temp.Sub("a"));
        var second = HfImporter.Import(hf, FakeModels.Layer, _temp.Sub("b"));
        var other = HfImporter.Import(FakeModels.Mixtral().Write(_temp.Sub("hf16"), "F16"), FakeModels.Layer, _temp.Sub("c"));

        Assert.Equal(first.Manifest.Version, second.Manifest.Version);
        Assert.NotEqual(first.Manifest.Version, other.Manifest.Version);
    }

    private ModelBundle Import(FakeCheckpoint c, string dtype) =>
        HfImporter.Import(c.Write(_temp.Sub("hf"), dtype), FakeModels.Layer, _temp.Sub("bundle"));

    private static HfReference.Result AssertMatches(ModelBundle bundle, FakeCheckpoint c, Func<FakeCheckpoint, float[], int, HfReference.Result> reference)
    {
        var x = TestData.Gaussian(Rows * FakeModels.Hidden, seed: 5);
        var expected = reference(c, x, Rows);
        using var engine = MoeEngine.CreateOnnx(bundle);

        var actual = engine.Forward(x, Rows, seed: 9);

        for (int row = 0; row < Rows; row++)
        {
            Assert.Equal(expected.Chosen[row].Order(), actual.Routing.ExpertsOf(row).ToArray().Order());
        }

        double maxDiff = 0;
        for (int i = 0; i < expected.Outputs.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected.Outputs[i] - actual.Outputs[i]));
        }

        Assert.InRange(maxDiff, 0, Tolerance);
        Assert.Contains(expected.Outputs, v => Math.Abs(v) > 0.1);

        // The engine also equals the project's own managed reference on the imported bundle (1e-5: both see the same float32 weights).
        var managed = new ReferenceMoe(bundle).Forward(x, Rows, seed: 9);
        Assert.Equal(managed.Routing.Indices, actual.Routing.Indices);
        Assert.InRange(TestData.MaxAbsDiff(managed.Outputs, actual.Outputs), 0, 1e-5);
        return expected;
    }

    private static int[] PlainTopK(FakeCheckpoint c, string modelType, int row)
    {
        var w = c[FakeModels.Prefix(modelType) + "gate.weight"];
        var x = TestData.Gaussian(Rows * FakeModels.Hidden, seed: 5).AsSpan(row * FakeModels.Hidden, FakeModels.Hidden).ToArray();
        var logits = Enumerable.Range(0, FakeModels.Experts)
            .Select(e => Enumerable.Range(0, FakeModels.Hidden).Sum(i => (double)w[e * FakeModels.Hidden + i] * x[i])).ToArray();
        return [.. Enumerable.Range(0, FakeModels.Experts).OrderByDescending(e => logits[e]).Take(FakeModels.TopK).Order()];
    }
}
