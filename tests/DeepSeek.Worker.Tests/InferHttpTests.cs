using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Worker.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class InferHttpTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Infer_SameSeed_EqualsInProcessEngine()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await using var worker = await RunningWorker.StartAsync(h);
        var rows = Rows(3, seed: 1);

        var response = await worker.Http.PostAsJsonAsync("/api/v1/infer", new { model = "demo", inputs = rows, options = new { seed = 1234UL } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var expected = h.Get<ModelRegistry>().Engine("demo").Forward(rows.SelectMany(r => r).ToArray(), 3, 1234);
        var outputs = doc.RootElement.GetProperty("outputs");
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(expected.Row(r).ToArray(), outputs[r].EnumerateArray().Select(v => v.GetSingle()).ToArray());
            Assert.Equal(expected.Routing.ExpertsOf(r).ToArray(), doc.RootElement.GetProperty("routing")[r].GetProperty("experts").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        }

        Assert.Equal("demo", doc.RootElement.GetProperty("model").GetProperty("id").GetString());
        Assert.Equal(1234UL, doc.RootElement.GetProperty("seed").GetUInt64());
    }

    [Fact]
    public async Task Infer_AsyncMode_202ThenStatusAndAudit()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await using var worker = await RunningWorker.StartAsync(h);

        var accepted = await worker.Http.PostAsJsonAsync("/api/v1/infer?mode=async", new { model = "demo", inputs = Rows(2, seed: 2) });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var body = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("requestId").GetString()!;
        var statusUrl = new Uri(body.RootElement.GetProperty("statusUrl").GetString()!);
        Assert.Equal(statusUrl, accepted.Headers.Location);
        string status = "";
        for (int i = 0; i < 200 && status != "succeeded"; i++)
        {
            await Task.Delay(100);
            using var view = JsonDocument.Parse(await worker.Http.GetStringAsync(statusUrl.PathAndQuery));
            status = view.RootElement.GetProperty("status").GetString()!;
        }

        Assert.Equal("succeeded", status);
        var audit = await worker.Http.GetAsync($"/api/v1/requests/{id}/audit");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains($"\"requestId\":\"{id}\"", await audit.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"model\":\"demo\",\"inputs\":[[1,2", "malformed-json")]
    [InlineData("{\"model\":\"demo\",\"inputs\":[[1,2,3]]}", "invalid-input")]
    [InlineData("INF", "invalid-input")]
    [InlineData("{\"model\":\"demo\",\"inputs\":[[\"NaN\"]]}", "malformed-json")]
    [InlineData("ROWS", "invalid-input")]
    [InlineData("{\"model\":\"nope\",\"inputs\":[[1]]}", "unknown-model")]
    public async Task Infer_BadInput_400ProblemJsonAndNothingQueued(string body, string problem)
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await using var worker = await RunningWorker.StartAsync(h, new Dictionary<string, string?> { ["Pipeline:MaxRowsPerRequest"] = "4" });
        body = body switch
        {
            "ROWS" => JsonSerializer.Serialize(new { model = "demo", inputs = Rows(5, seed: 3) }),
            // JSON has no infinity literal: a value past float's range is how one arrives.
            "INF" => JsonSerializer.Serialize(new { model = "demo", inputs = new[] { Enumerable.Repeat(0.5, PipelineHarness.DModel).ToArray() } })
                .Replace("[[0.5,", "[[1e39,", StringComparison.Ordinal),
            _ => body,
        };

        var response = await worker.Http.PostAsync("/api/v1/infer", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith(problem, doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(400, doc.RootElement.GetProperty("status").GetInt32());
        var peeked = await h.Storage.Queue(h.Layout.GateQueue).PeekMessagesAsync(32);
        Assert.Empty(peeked.Value);
        Assert.Empty(await h.BlobsAsync(h.Layout.StateContainer));
        Assert.Empty(await h.BlobsAsync(h.Layout.PayloadsContainer));
    }

    [Fact]
    public async Task Health_ListsModels()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await using var worker = await RunningWorker.StartAsync(h);

        var health = await worker.Http.GetStringAsync("/api/v1/health");

        Assert.Contains("\"status\":\"ok\"", health);
        Assert.Contains("demo@", health);
    }

    [Fact]
    public async Task GetRequest_UnknownId_404Problem()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await using var worker = await RunningWorker.StartAsync(h);

        var response = await worker.Http.GetAsync("/api/v1/requests/req-nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    internal static float[][] Rows(int count, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, PipelineHarness.DModel).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray())];
    }
}
