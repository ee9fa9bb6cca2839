using System.Globalization;
using System.Text;
using System.Text.Json;
using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests.Stages;

namespace DeepSeek.Pipeline.Tests.Jobs;

[Collection(AzuriteCollection.Name)]
public sealed class JobTests(AzuriteFixture azurite)
{
    private const int D = PipelineHarness.DModel;

    [Fact]
    public async Task Job_ThousandLines_SucceedsInInputOrderEqualToInProcessEngine()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Pipeline:JobChunkRows"] = "64" });
        var x = StageTests.Rows(1000, seed: 21);
        var body = string.Concat(Enumerable.Range(0, 1000).Select(i => Line(x, i, 1) + "\n"));

        var jobId = await SubmitAsync(h, body);
        await RunAsync(h);

        Assert.Matches("^job-[0-9a-z]{26}$", jobId);
        Assert.Equal(new JobView(jobId, "succeeded", 1000, 1000, 0), await h.Get<JobService>().StatusAsync(jobId, default));
        Assert.Equal(16, (await h.BlobsAsync(h.Layout.ResultsContainer)).Count);
        var lines = await OutputAsync(h, jobId);
        Assert.Equal(1000, lines.Count);
        var engine = h.Get<ModelRegistry>().Engine("demo");
        for (int c = 0; c < 16; c++)
        {
            int first = c * 64, n = Math.Min(64, 1000 - first);
            var seed = (await h.Get<RequestReader>().ResultAsync(StorageLayout.ChunkRequestId(jobId, c), default))!.Seed!.Value;
            Assert.Equal(JobStage.ChunkSeed(jobId, c), seed);
            var expected = engine.Forward(x.AsSpan(first * D, n * D), n, seed);
            for (int r = 0; r < n; r++)
            {
                var line = lines[first + r];
                Assert.Equal(first + r + 1, line.GetProperty("line").GetInt32());
                Assert.Equal(expected.Row(r).ToArray(), Floats(line.GetProperty("outputs")[0]));
                Assert.Equal(expected.Routing.ExpertsOf(r).ToArray(), line.GetProperty("routing")[0].GetProperty("experts").EnumerateArray().Select(e => e.GetInt32()));
            }
        }
    }

    [Fact]
    public async Task Job_BadLines_ErrorsAtTheirLineNumbersAndGoodLinesRun()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var x = StageTests.Rows(6, seed: 22);
        var nan = Line(x, 3, 1).Replace(Num(x[(3 * D) + 5]), "1e39", StringComparison.Ordinal);
        string[] input =
        [
            Line(x, 0, 1),
            "{\"inputs\":[[0.1,0.2",
            "{\"inputs\":[[" + string.Join(',', Enumerable.Repeat("0.5", D - 1)) + "]]}",
            nan,
            "{\"model\":\"demo\"}",
            Line(x, 4, 2),
            Line(x, 0, 1)[..^1] + ",\"model\":\"nope\"}",
            "",
            Line(x, 2, 1)[..^1] + ",\"options\":{\"seed\":77}}",
        ];

        var jobId = await SubmitAsync(h, string.Join("\r\n", input) + "\n\n \n");
        await RunAsync(h);

        Assert.Equal(new JobView(jobId, "succeeded", 9, 3, 6), await h.Get<JobService>().StatusAsync(jobId, default));
        var lines = await OutputAsync(h, jobId);
        Assert.Equal(Enumerable.Range(1, 9), lines.Select(l => l.GetProperty("line").GetInt32()));
        Assert.Contains("not valid JSON", Error(lines[1]), StringComparison.Ordinal);
        Assert.Contains("inputs[0] has 31 values", Error(lines[2]), StringComparison.Ordinal);
        Assert.Contains("inputs[0][5]", Error(lines[3]), StringComparison.Ordinal);
        Assert.Contains("inputs is missing", Error(lines[4]), StringComparison.Ordinal);
        Assert.Contains("'nope'", Error(lines[6]), StringComparison.Ordinal);
        Assert.Contains("empty", Error(lines[7]), StringComparison.Ordinal);

        // Lines 1, 6 (two rows) and 9 form one chunk; line 9's seed is the chunk's.
        float[] chunk = [.. x.AsSpan(0, D), .. x.AsSpan(4 * D, 2 * D), .. x.AsSpan(2 * D, D)];
        var expected = h.Get<ModelRegistry>().Engine("demo").Forward(chunk, 4, 77);
        Assert.Equal(expected.Row(0).ToArray(), Floats(lines[0].GetProperty("outputs")[0]));
        Assert.Equal(expected.Row(1).ToArray(), Floats(lines[5].GetProperty("outputs")[0]));
        Assert.Equal(expected.Row(2).ToArray(), Floats(lines[5].GetProperty("outputs")[1]));
        Assert.Equal(expected.Row(3).ToArray(), Floats(lines[8].GetProperty("outputs")[0]));
    }

    [Fact]
    public async Task Job_MessageDeliveredTwiceAndAgainAfterDone_NoDuplicateResultsSameOutput()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Pipeline:JobChunkRows"] = "2" });
        var x = StageTests.Rows(5, seed: 23);
        var jobId = await SubmitAsync(h, string.Join('\n', Enumerable.Range(0, 5).Select(i => Line(x, i, 1))));
        var message = Assert.Single(await h.TakeAllAsync(h.Layout.JobsQueue));

        await h.Get<JobStage>().HandleAsync(message, default);
        var manifest = await ManifestTextAsync(h, jobId);
        await h.Get<JobStage>().HandleAsync(message, default);
        await h.DrainAsync();
        var first = await OutputTextAsync(h, jobId);
        await h.Get<JobStage>().HandleAsync(message, default);

        Assert.Empty(await h.TakeAllAsync(h.Layout.GateQueue));
        Assert.Equal(manifest, await ManifestTextAsync(h, jobId));
        string[] chunks = [.. Enumerable.Range(0, 3).Select(c => StorageLayout.ResultBlob(StorageLayout.ChunkRequestId(jobId, c)))];
        Assert.Equal(chunks, await h.BlobsAsync(h.Layout.ResultsContainer));
        Assert.Equal(chunks, await h.BlobsAsync(h.Layout.AuditContainer));
        Assert.Equal(first, await OutputTextAsync(h, jobId));
        Assert.Equal(5, first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Status_BeforeAndDuringRun_QueuedThenRunningWithLineTotals()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var x = StageTests.Rows(3, seed: 24);
        var jobs = h.Get<JobService>();
        var jobId = await SubmitAsync(h, Line(x, 0, 1) + "\n{}\n" + Line(x, 1, 2) + "\n");

        Assert.Equal(new JobView(jobId, "queued", 3, 0, 0), await jobs.StatusAsync(jobId, default));
        foreach (var m in await h.TakeAllAsync(h.Layout.JobsQueue))
        {
            await h.Get<JobStage>().HandleAsync(m, default);
        }

        Assert.Equal(new JobView(jobId, "running", 3, 0, 1), await jobs.StatusAsync(jobId, default));
        var pending = await jobs.OutputAsync(jobId, default);
        Assert.Equal(JobOutputState.Pending, pending.State);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pending.WriteToAsync(Stream.Null, default));
        await h.DrainAsync();
        Assert.Equal(new JobView(jobId, "succeeded", 3, 2, 1), await jobs.StatusAsync(jobId, default));
    }

    [Fact]
    public async Task Split_LinesNamingSeedsAndOversizedLine_ChunksKeepWholeLinesAndSeeds()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Pipeline:JobChunkRows"] = "4" });
        var x = StageTests.Rows(12, seed: 25);
        string Seeded(int start, int rows, int seed) => Line(x, start, rows)[..^1] + $",\"options\":{{\"seed\":{seed}}}}}";
        var body = string.Join('\n', Seeded(0, 1, 5), Line(x, 1, 2), Seeded(3, 1, 6), Line(x, 4, 6), Line(x, 10, 1), Line(x, 11, 1));

        var jobId = await SubmitAsync(h, body);
        await RunAsync(h);

        var manifest = await ManifestAsync(h, jobId);
        Assert.Equal([[1, 2], [3], [4], [5, 6]], manifest.Chunks.Select(c => c.Lines));
        Assert.Equal([5UL, 6UL, JobStage.ChunkSeed(jobId, 2), JobStage.ChunkSeed(jobId, 3)], manifest.Chunks.Select(c => c.Seed));
        var lines = await OutputAsync(h, jobId);
        var expected = h.Get<ModelRegistry>().Engine("demo").Forward(x.AsSpan(4 * D, 6 * D), 6, JobStage.ChunkSeed(jobId, 2));
        Assert.Equal(expected.Row(5).ToArray(), Floats(lines[3].GetProperty("outputs")[5]));
        Assert.Equal(6, lines.Count);
    }

    [Fact]
    public async Task Lookup_UnknownOrMalformedJobId_IsUnknown()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var jobs = h.Get<JobService>();

        Assert.Null(await jobs.StatusAsync("job-0000000000000000000000000z", default));
        Assert.Null(await jobs.StatusAsync("../moe-state/x", default));
        var output = await jobs.OutputAsync("job-0000000000000000000000000z", default);
        Assert.Equal(JobOutputState.Unknown, output.State);
        Assert.Null(output.Status);
    }

    [Fact]
    public async Task Submit_UnknownModelTooLargeTooManyLinesOrEmpty_RejectedAndNothingQueued()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?>
        {
            ["Pipeline:MaxRequestBytes"] = "4096",
            ["Pipeline:MaxJobLines"] = "2",
        });
        var jobs = h.Get<JobService>();
        var x = StageTests.Rows(40, seed: 26);

        await Assert.ThrowsAsync<UnknownModelException>(() => jobs.SubmitAsync("nope", Body(Line(x, 0, 1)), null, null, default));
        var tooBig = await Assert.ThrowsAsync<JobTooLargeException>(() => jobs.SubmitAsync("demo", Body(Line(x, 0, 40)), null, null, default));
        Assert.Equal(4096, tooBig.Limit);
        var tooMany = await Assert.ThrowsAsync<JobTooLargeException>(() => jobs.SubmitAsync("demo", Body("{}\n{}\n{}\n"), null, null, default));
        Assert.Equal(2, tooMany.Limit);
        await Assert.ThrowsAsync<InvalidInputException>(() => jobs.SubmitAsync("demo", Body("\n \r\n"), null, null, default));
        Assert.Empty(await h.TakeAllAsync(h.Layout.JobsQueue));
        Assert.Empty(await h.BlobsAsync(h.Layout.JobsContainer));
    }

    private static MemoryStream Body(string text) => new(Encoding.UTF8.GetBytes(text));

    private static Task<string> SubmitAsync(PipelineHarness h, string body) =>
        h.Get<JobService>().SubmitAsync("demo", Body(body), new RequestOwner("tenant-1", "tester"), null, default);

    private static async Task RunAsync(PipelineHarness h)
    {
        foreach (var m in await h.TakeAllAsync(h.Layout.JobsQueue))
        {
            await h.Get<JobStage>().HandleAsync(m, default);
        }

        await h.DrainAsync();
    }

    private static async Task<string> OutputTextAsync(PipelineHarness h, string jobId)
    {
        var output = await h.Get<JobService>().OutputAsync(jobId, default);
        Assert.Equal(JobOutputState.Ready, output.State);
        using var stream = new MemoryStream();
        await output.WriteToAsync(stream, default);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async Task<List<JsonElement>> OutputAsync(PipelineHarness h, string jobId)
    {
        var text = await OutputTextAsync(h, jobId);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static async Task<JobManifest> ManifestAsync(PipelineHarness h, string jobId)
    {
        var manifest = await JobProgress.ReadManifestAsync(h.Storage, jobId, default);
        Assert.NotNull(manifest);
        return manifest;
    }

    private static async Task<string> ManifestTextAsync(PipelineHarness h, string jobId) =>
        (await h.Storage.TryReadAsync(h.Layout.JobsContainer, StorageLayout.JobManifestBlob(jobId), default))!.ToString();

    private static string Error(JsonElement line)
    {
        Assert.False(line.TryGetProperty("outputs", out _));
        return line.GetProperty("error").GetString()!;
    }

    private static float[] Floats(JsonElement row) => [.. row.EnumerateArray().Select(v => v.GetSingle())];

    private static string Num(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A job line holding rows [start, start + rows) of x.</summary>
    private static string Line(float[] x, int start, int rows) =>
        "{\"inputs\":[" + string.Join(',', Enumerable.Range(start, rows).Select(r => "[" + string.Join(',', x.AsSpan(r * D, D).ToArray().Select(Num)) + "]")) + "]}";
}
