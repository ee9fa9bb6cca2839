using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeepSeek.Pipeline.Tests;
using DeepSeek.Pipeline.Tests.Privacy;

namespace DeepSeek.Worker.Tests;

/// <summary>The worker end to end over HTTP: metadata with personal data and a bearer token leaves no verbatim trace in storage or logs, and usage statistics are released under a budget.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PrivacyHttpTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Infer_MetadataWithEmailCardAndToken_NoBlobQueueOrLogLineHoldsThemVerbatim()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var logs = new RecordingLoggerProvider();
        await using var worker = await RunningWorker.StartAsync(h, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Privacy:PseudonymKey"] = RedactorTests.Key,
        }, logs);
        var rows = Enumerable.Range(0, 2).Select(r => TestData.Gaussian(PipelineHarness.DModel, seed: r)).ToArray();
        var metadata = new Dictionary<string, string>
        {
            ["contact"] = PrivacyPipelineTests.Email,
            ["card"] = PrivacyPipelineTests.Card,
            ["authorization"] = "Bearer " + PrivacyPipelineTests.Token,
        };

        var response = await worker.Http.PostAsJsonAsync("/api/v1/infer", new { model = "demo", inputs = rows, metadata });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var audit = await worker.Http.GetStringAsync($"/api/v1/requests/{body.RootElement.GetProperty("requestId").GetString()}/audit");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"contact\":\"pii:email:", audit, StringComparison.Ordinal);
        Assert.Contains("\"authorization\":\"pii:secret:", audit, StringComparison.Ordinal);
        var blobs = await PrivacyPipelineTests.EveryBlobAsync(h);
        var messages = await PrivacyPipelineTests.EveryQueueMessageAsync(h);
        Assert.Contains(logs.Lines, l => l.Contains("Request req-", StringComparison.Ordinal));
        foreach (var secret in PrivacyPipelineTests.Secrets)
        {
            Assert.DoesNotContain(blobs, b => b.Text.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(messages, m => m.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task StatsRoutes_ReleaseUntilBudgetSpent_Then403AndListShowsReleases()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await using var worker = await RunningWorker.StartAsync(h, new Dictionary<string, string?> { ["Stats:TotalEpsilonPerPeriod"] = "1.0" });
        var day = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await worker.Http.PostAsJsonAsync("/api/v1/infer", new { model = "demo", inputs = new[] { TestData.Gaussian(PipelineHarness.DModel, seed: 1) } })).EnsureSuccessStatusCode();

        var first = await worker.Http.PostAsync($"/api/v1/stats/release?period={day}", null);
        var second = await worker.Http.PostAsync($"/api/v1/stats/release?period={day}&epsilon=0.5", null);
        var refused = await worker.Http.PostAsync($"/api/v1/stats/release?period={day}&epsilon=0.5", null);
        using var list = JsonDocument.Parse(await worker.Http.GetStringAsync($"/api/v1/stats?period={day}"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, list.RootElement.GetProperty("releases").GetArrayLength());
        Assert.Equal(1.0, list.RootElement.GetProperty("releases")[1].GetProperty("budgetSpent").GetDouble(), 9);
    }
}
