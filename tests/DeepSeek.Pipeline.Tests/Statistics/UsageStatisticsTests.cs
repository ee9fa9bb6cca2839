using System.Text.Json;
using DeepSeek.Pipeline.Http;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Statistics;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests.Stages;

namespace DeepSeek.Pipeline.Tests.Statistics;

[Collection(AzuriteCollection.Name)]
public sealed class UsageStatisticsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Count_RequestsOfTheDay_ExactCountsWithExpertsClipped()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Stats:ExpertClip"] = "2" });
        for (int i = 0; i < 3; i++)
        {
            await h.Get<InferenceSubmitter>().SubmitAsync($"s{i}", "demo", StageTests.Rows(6, seed: i), 6, PipelineHarness.DModel, (ulong)i, null, null, null, default);
        }

        await h.DrainAsync();
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var counts = await h.Get<UsageStatistics>().CountAsync(today, default);

        var (requests, experts) = counts["demo"];
        Assert.Equal(3, requests);
        Assert.Equal(9, experts.Length);
        // Each request counts toward exactly 2 experts (6 rows, top-2 of 8, plus the shared expert 8 on every row).
        Assert.Equal(6, experts.Sum());
        Assert.Equal(3, experts[8]);
    }

    [Fact]
    public async Task Release_BudgetOfTwoAtHalf_FourReleasesThenRefused()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await h.Get<InferenceSubmitter>().SubmitAsync("one", "demo", StageTests.Rows(1, seed: 1), 1, PipelineHarness.DModel, 1, null, null, null, default);
        await h.DrainAsync();
        var today = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var stats = h.Get<UsageStatistics>();

        var releases = new List<StatsRelease>();
        for (int i = 0; i < 4; i++)
        {
            releases.Add(await stats.ReleaseAsync(today, null, default));
        }

        await Assert.ThrowsAsync<PrivacyBudgetExceededException>(() => stats.ReleaseAsync(today, 0.1, default));
        var refused = await h.Get<StatsApi>().ReleaseAsync(today, "0.5", default);
        var published = await stats.ListAsync(today, default);

        Assert.All(releases, r => Assert.Equal((0.5, 5, 10.0, "discrete-laplace"), (r.Epsilon, r.Sensitivity, r.Scale, r.Mechanism)));
        Assert.Equal([0.5, 1.0, 1.5, 2.0], releases.Select(r => r.BudgetSpent));
        Assert.All(releases, r => Assert.Equal(9, r.Models["demo"].Experts.Length));
        Assert.All(releases, r => Assert.Equal(Math.Round(r.Models["demo"].Requests), r.Models["demo"].Requests));
        Assert.Equal(403, refused.StatusCode);
        Assert.Contains("privacy-budget-exhausted", refused.Body.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, published.Count);
    }

    [Fact]
    public async Task Release_EightConcurrent_LedgerNeverOverspends()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Stats:TotalEpsilonPerPeriod"] = "1.5" });
        var stats = h.Get<UsageStatistics>();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await stats.ReleaseAsync("2025-01-31", 0.5, default);
                return true;
            }
            catch (PrivacyBudgetExceededException)
            {
                return false;
            }
        })));

        var ledger = JsonSerializer.Deserialize((await h.Storage.TryReadAsync(h.Layout.StatsContainer, StorageLayout.StatsLedgerBlob("2025-01-31"), default))!.ToMemory().Span, PipelineJsonContext.Default.PrivacyLedger)!;
        Assert.Equal(3, outcomes.Count(o => o));
        Assert.Equal(1.5, ledger.Spent, 9);
        Assert.Equal(3, ledger.Releases.Length);
    }

    [Theory]
    [InlineData("2025-13-01", "0.5", "period")]
    [InlineData("yesterday", null, "period")]
    [InlineData("2025-01-31", "0", "epsilon")]
    [InlineData("2025-01-31", "abc", "epsilon")]
    [InlineData("2025-01-31", "9", "epsilon")]
    public async Task Release_BadPeriodOrEpsilon_400NamingTheField(string period, string? epsilon, string field)
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);

        var response = await h.Get<StatsApi>().ReleaseAsync(period, epsilon, default);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(response.Body.ToString()).RootElement.GetProperty("field").GetString());
    }
}
