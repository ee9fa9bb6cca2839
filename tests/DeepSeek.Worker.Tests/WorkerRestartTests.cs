using System.Text;
using System.Text.Json;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Worker.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class WorkerRestartTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Job_WorkerKilledMidwayAndRestarted_NoLineLostOrDuplicated()
    {
        var settings = new Dictionary<string, string?> { ["Pipeline:JobChunkRows"] = "4" };
        await using var h = await PipelineHarness.CreateAsync(azurite, settings);
        const int lines = 240;
        var jsonl = new StringBuilder();
        foreach (var row in InferHttpTests.Rows(lines, seed: 9))
        {
            jsonl.Append(JsonSerializer.Serialize(new { inputs = new[] { row } })).Append('\n');
        }

        string jobId;
        using (var first = await WorkerProcess.StartAsync(h, settings))
        {
            var submitted = await first.Http.PostAsync("/api/v1/jobs?model=demo", new StringContent(jsonl.ToString(), Encoding.UTF8, "application/x-ndjson"));
            jobId = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").GetString()!;
            int done = 0;
            for (int i = 0; i < 600 && done == 0; i++)
            {
                await Task.Delay(50);
                done = (await h.BlobsAsync(h.Layout.JobsContainer, StorageLayout.JobDonePrefix(jobId))).Count;
            }

            Assert.InRange(done, 1, lines / 4 - 1);
            first.Kill();
        }

        using var second = await WorkerProcess.StartAsync(h, settings);
        string status = "";
        for (int i = 0; i < 600 && status != "succeeded"; i++)
        {
            await Task.Delay(100);
            status = JsonDocument.Parse(await second.Http.GetStringAsync($"/api/v1/jobs/{jobId}")).RootElement.GetProperty("status").GetString()!;
        }

        Assert.Equal("succeeded", status);
        var output = (await second.Http.GetStringAsync($"/api/v1/jobs/{jobId}/output")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, lines), output.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("line").GetInt32()));
        Assert.All(output, l => Assert.Contains("\"outputs\"", l));
        Assert.Equal(lines / 4, (await h.BlobsAsync(h.Layout.ResultsContainer)).Count);
        Assert.Equal(lines / 4, (await h.BlobsAsync(h.Layout.AuditContainer)).Count);
        Assert.Equal(lines / 4, (await h.BlobsAsync(h.Layout.JobsContainer, StorageLayout.JobDonePrefix(jobId))).Count);
    }
}
