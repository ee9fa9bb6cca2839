using System.Text.Json;
using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Functions.Tests.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class JobsFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Jobs_JobSubmittedOverHttp_StatusAndOutputCoverEveryLineWhenTheQueueFunctionsRun()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Pipeline:JobChunkRows"] = "2" });
        var app = new FunctionApp(h);
        var jobId = await SubmitAsync(app, lines: 5);

        Assert.True(await app.PumpAsync() > 0);

        var status = app.Request("GET", $"/api/v1/jobs/{jobId}");
        await app.Http.GetJob(status, jobId);
        var (code, view) = FunctionApp.Response(status);
        Assert.Equal(200, code);
        Assert.Equal(("succeeded", 5, 5, 0), (view.GetProperty("status").GetString(), view.GetProperty("total").GetInt32(),
            view.GetProperty("succeeded").GetInt32(), view.GetProperty("failed").GetInt32()));

        var output = app.Request("GET", $"/api/v1/jobs/{jobId}/output");
        await app.Http.GetJobOutput(output, jobId);
        Assert.Equal(200, output.HttpContext.Response.StatusCode);
        var written = FunctionApp.Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2, 3, 4, 5], written.Select(l => l.GetProperty("line").GetInt32()));
        Assert.All(written, l => Assert.Equal(1, l.GetProperty("outputs").GetArrayLength()));
    }

    [Fact]
    public async Task JobsPoison_JobMessageFailedEveryDelivery_JobReportsFailed()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var app = new FunctionApp(h);
        var jobId = await SubmitAsync(app, lines: 2);
        var message = Assert.Single(await h.TakeAllAsync(h.Layout.JobsQueue));

        await app.Poison(shard: 0).JobsPoison(message, default);

        var status = app.Request("GET", $"/api/v1/jobs/{jobId}");
        await app.Http.GetJob(status, jobId);
        Assert.Equal("failed", FunctionApp.Response(status).Body.GetProperty("status").GetString());
    }

    private static async Task<string> SubmitAsync(FunctionApp app, int lines)
    {
        var body = string.Join('\n', Enumerable.Range(0, lines).Select(i => JsonSerializer.Serialize(new { inputs = Inputs.Rows(1, seed: 10 + i) })));
        var submit = app.Request("POST", "/api/v1/jobs", "?model=demo", body);
        await app.Http.SubmitJob(submit);
        var (code, accepted) = FunctionApp.Response(submit);
        Assert.Equal(202, code);
        var jobId = accepted.GetProperty("jobId").GetString()!;
        Assert.Equal($"http://localhost:7071/api/v1/jobs/{jobId}", accepted.GetProperty("statusUrl").GetString());
        return jobId;
    }
}
