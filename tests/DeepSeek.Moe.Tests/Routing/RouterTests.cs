using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Tests.Routing;

public sealed class RouterTests
{
    [Fact]
    public void Route_RandomLogits_PicksExactTopKInDescendingOrder()
    {
        const int rows = 200, experts = 16;
        var logits = TestData.Gaussian(rows * experts, seed: 3);
        var routing = new Router(new RoutingSettings { TopK = 4 }, experts).Route(logits, rows, seed: 0);

        for (int r = 0; r < rows; r++)
        {
            var expected = Enumerable.Range(0, experts)
                .OrderByDescending(j => logits[r * experts + j]).ThenBy(j => j).Take(4).ToArray();
            Assert.Equal(expected, routing.ExpertsOf(r).ToArray());
        }
    }

    [Fact]
    public void Route_TiedLogits_GoToLowerIndex()
    {
        var logits = new float[] { 1, 3, 3, 0, 3, 3 };
        var routing = new Router(new RoutingSettings { TopK = 3 }, 6).Route(logits, 1, seed: 0);

        Assert.Equal([1, 2, 4], routing.ExpertsOf(0).ToArray());
    }

    [Fact]
    public void Route_Softmax_WeightsAreSoftmaxOfLogitsOverTemperature()
    {
        var logits = new float[] { 0.5f, -1f, 2f, 0.25f };
        var settings = new RoutingSettings { TopK = 2, Temperature = 0.5f };
        var routing = new Router(settings, 4).Route(logits, 1, seed: 0);

        var exp = logits.Select(z => Math.Exp(z / 0.5)).ToArray();
        Assert.Equal([2, 0], routing.ExpertsOf(0).ToArray());
        Assert.Equal(exp[2] / exp.Sum(), routing.WeightsOf(0)[0], 1e-6);
        Assert.Equal(exp[0] / exp.Sum(), routing.WeightsOf(0)[1], 1e-6);
    }

    [Fact]
    public void Route_LowerTemperature_SharpensTopWeight()
    {
        var logits = new float[] { 1f, 0.8f, 0.1f, -0.3f };
        float Top(float t) => new Router(new RoutingSettings { TopK = 1, Temperature = t }, 4).Route(logits, 1, 0).Weights[0];

        Assert.True(Top(0.1f) > Top(1f));
        Assert.True(Top(1f) > Top(10f));
    }

    [Fact]
    public void Route_Renormalize_WeightsSumToScalingFactor()
    {
        var logits = TestData.Gaussian(50 * 8, seed: 5);
        var settings = new RoutingSettings { TopK = 3, Renormalize = true, RoutedScalingFactor = 2.5f };
        var routing = new Router(settings, 8).Route(logits, 50, seed: 0);

        for (int r = 0; r < 50; r++)
        {
            Assert.Equal(2.5, routing.WeightsOf(r).ToArray().Sum(), 1e-5);
        }
    }

    [Fact]
    public void Route_Sigmoid_WeightsAreSigmoidOfLogits()
    {
        var logits = new float[] { 0.2f, 1.5f, -0.7f, 0.9f };
        var settings = new RoutingSettings { Scoring = ScoringFunctions.Sigmoid, TopK = 2 };
        var routing = new Router(settings, 4).Route(logits, 1, seed: 0);

        Assert.Equal([1, 3], routing.ExpertsOf(0).ToArray());
        Assert.Equal(1 / (1 + Math.Exp(-1.5)), routing.WeightsOf(0)[0], 1e-6);
        Assert.Equal(1 / (1 + Math.Exp(-0.9)), routing.WeightsOf(0)[1], 1e-6);
    }

    [Fact]
    public void Route_SameSeed_IdenticalAcrossRunsAndThreadCounts()
    {
        const int rows = 5000, experts = 16;
        var logits = TestData.Gaussian(rows * experts, seed: 11);
        var router = new Router(new RoutingSettings { TopK = 2, Temperature = 0.1f, Renormalize = true, GumbelNoise = true }, experts);

        var single = router.Route(logits, rows, seed: 99, maxDegreeOfParallelism: 1);
        var parallel = router.Route(logits, rows, seed: 99, maxDegreeOfParallelism: -1);
        var four = router.Route(logits, rows, seed: 99, maxDegreeOfParallelism: 4);

        Assert.Equal(single.Indices, parallel.Indices);
        Assert.Equal(single.Weights, parallel.Weights);
        Assert.Equal(single.Indices, four.Indices);
        Assert.Equal(single.Scores, four.Scores);
    }

    [Fact]
    public void Route_DifferentSeed_ChangesNoisyRouting()
    {
        const int rows = 500, experts = 16;
        var logits = TestData.Gaussian(rows * experts, seed: 12);
        var router = new Router(new RoutingSettings { TopK = 2, Temperature = 0.1f, GumbelNoise = true }, experts);

        var a = router.Route(logits, rows, seed: 1);
        var b = router.Route(logits, rows, seed: 2);

        Assert.NotEqual(a.Indices, b.Indices);
    }

    [Fact]
    public void Route_NoNoise_IgnoresSeed()
    {
        var logits = TestData.Gaussian(100 * 8, seed: 13);
        var router = new Router(new RoutingSettings { TopK = 2 }, 8);

        Assert.Equal(router.Route(logits, 100, seed: 1).Indices, router.Route(logits, 100, seed: 2).Indices);
    }

    [Fact]
    public void Route_GroupLimitedMax_ChoosesOnlyFromBestGroups()
    {
        // 4 groups of 2: group scores by max are 0.9, 0.95, 0.1, 0.85 -> groups 1 and 0 are kept.
        var logits = new float[] { 0.9f, 0.0f, 0.95f, -1f, 0.1f, 0.05f, 0.85f, 0.84f };
        var settings = new RoutingSettings { Scoring = ScoringFunctions.Sigmoid, TopK = 3, NGroup = 4, TopkGroup = 2, GroupScore = GroupScoring.Max };
        var routing = new Router(settings, 8).Route(logits, 1, seed: 0);

        Assert.Equal([2, 0, 1], routing.ExpertsOf(0).ToArray());
    }

    [Fact]
    public void Route_GroupLimitedTop2Sum_PrefersGroupWithStrongPair()
    {
        // Group 0 has the single best expert but a weak partner; group 1's pair sums higher.
        var logits = new float[] { 3f, -3f, 2f, 2f, -1f, -1f };
        var settings = new RoutingSettings { Scoring = ScoringFunctions.Sigmoid, TopK = 2, NGroup = 3, TopkGroup = 1, GroupScore = GroupScoring.Top2Sum };
        var routing = new Router(settings, 6).Route(logits, 1, seed: 0);

        Assert.Equal([2, 3], routing.ExpertsOf(0).ToArray());
    }

    [Fact]
    public void Route_CorrectionBias_ChangesSelectionButNotWeights()
    {
        var logits = new float[] { 2f, 1f, 0f, -1f };
        var plain = new RoutingSettings { Scoring = ScoringFunctions.Sigmoid, TopK = 1 };
        var biased = plain with { CorrectionBias = [0f, 0f, 0f, 5f] };

        var a = new Router(plain, 4).Route(logits, 1, seed: 0);
        var b = new Router(biased, 4).Route(logits, 1, seed: 0);

        Assert.Equal(0, a.Indices[0]);
        Assert.Equal(3, b.Indices[0]);
        Assert.Equal(1 / (1 + Math.Exp(1.0)), b.Weights[0], 1e-6);
        Assert.Equal(a.Scores, b.Scores);
    }

    [Fact]
    public void Route_NaNLogit_DoesNotThrowAndKeepsValidIndices()
    {
        var logits = new float[] { float.NaN, 1f, 2f, 0f };
        var routing = new Router(new RoutingSettings { TopK = 2 }, 4).Route(logits, 1, seed: 0);

        Assert.All(routing.Indices, i => Assert.InRange(i, 0, 3));
        Assert.Equal(2, routing.Indices.Distinct().Count());
    }

    [Fact]
    public void Constructor_TopKExceedsExperts_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Router(new RoutingSettings { TopK = 5 }, 4));
    }

    [Fact]
    public void Route_WrongLogitCount_Throws()
    {
        var router = new Router(new RoutingSettings { TopK = 1 }, 4);

        Assert.Throws<ArgumentException>(() => router.Route(new float[7], 2, seed: 0));
    }
}
