using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Tests.Stages;

[Collection(AzuriteCollection.Name)]
public sealed class StageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Pipeline_OneRequest_ResultEqualsInProcessEngine()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var x = Rows(5, seed: 1);

        await h.Get<InferenceSubmitter>().SubmitAsync("r1", "demo", x, 5, PipelineHarness.DModel, 42, new RequestOwner("tenant-1", "tester"), null, null, default);
        await h.DrainAsync();

        var result = await h.Get<RequestReader>().ResultAsync("r1", default);
        Assert.NotNull(result);
        Assert.Equal(RequestStatus.Succeeded, result.Status);
        var expected = h.Get<ModelRegistry>().Engine("demo").Forward(x, 5, 42);
        for (int r = 0; r < 5; r++)
        {
            Assert.Equal(expected.Row(r).ToArray(), result.Outputs![r]);
            Assert.Equal(expected.Routing.ExpertsOf(r).ToArray(), result.Routing![r].Experts);
        }
    }

    [Fact]
    public async Task Pipeline_NativeBackend_MatchesOnnxEngineWithin1e4()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Pipeline:Backend"] = "native-cpu" });
        var x = Rows(7, seed: 8);

        await h.Get<InferenceSubmitter>().SubmitAsync("native", "demo", x, 7, PipelineHarness.DModel, 3, null, null, null, default);
        await h.DrainAsync();

        var result = await h.Get<RequestReader>().ResultAsync("native", default);
        Assert.Equal(RequestStatus.Succeeded, result!.Status);
        Assert.Equal("native-cpu", h.Get<ModelRegistry>().Engine("demo").Backend);
        using var onnx = MoeEngine.CreateOnnx(h.Get<ModelRegistry>().Engine("demo").Bundle);
        var expected = onnx.Forward(x, 7, 3);
        for (int r = 0; r < 7; r++)
        {
            Assert.Equal(expected.Routing.ExpertsOf(r).ToArray(), result.Routing![r].Experts);
            Assert.All(expected.Row(r).ToArray().Zip(result.Outputs![r]), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-4));
        }
    }

    [Theory]
    [InlineData("gate")]
    [InlineData("expert")]
    [InlineData("aggregate")]
    public async Task Stage_MessageDeliveredThreeTimes_OneResultAndOneAuditRecord(string stage)
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await h.Get<InferenceSubmitter>().SubmitAsync("dup", "demo", Rows(4, seed: 2), 4, PipelineHarness.DModel, 7, null, null, null, default);
        var planBefore = (string?)null;

        // Run the pipeline stage by stage, delivering every message of the chosen stage three times.
        foreach (var queue in h.StageQueues)
        {
            bool triple = stage switch
            {
                "gate" => queue == h.Layout.GateQueue,
                "aggregate" => queue == h.Layout.AggregateQueue,
                _ => queue != h.Layout.GateQueue && queue != h.Layout.AggregateQueue,
            };
            foreach (var text in await h.TakeAllAsync(queue))
            {
                for (int i = 0; i < (triple ? 3 : 1); i++)
                {
                    await h.HandleAsync(queue, text);
                }
            }

            planBefore ??= (await h.Storage.TryReadAsync(h.Layout.StateContainer, StorageLayout.PlanBlob("dup"), default))?.ToString();
        }

        await h.DrainAsync();

        Assert.Equal(["dup.json"], await h.BlobsAsync(h.Layout.ResultsContainer));
        Assert.Equal(["dup.json"], await h.BlobsAsync(h.Layout.AuditContainer));
        var planAfter = (await h.Storage.TryReadAsync(h.Layout.StateContainer, StorageLayout.PlanBlob("dup"), default))!.ToString();
        Assert.Equal(planBefore, planAfter);
        var result = await h.Get<RequestReader>().ResultAsync("dup", default);
        var expected = h.Get<ModelRegistry>().Engine("demo").Forward(Rows(4, seed: 2), 4, 7);
        Assert.Equal(expected.Row(3).ToArray(), result!.Outputs![3]);
    }

    [Fact]
    public async Task Aggregate_TenRacingAggregators_OneResult()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await h.Get<InferenceSubmitter>().SubmitAsync("race", "demo", Rows(6, seed: 3), 6, PipelineHarness.DModel, 9, null, null, null, default);
        foreach (var queue in h.StageQueues.Where(q => q != h.Layout.AggregateQueue))
        {
            foreach (var text in await h.TakeAllAsync(queue))
            {
                await h.HandleAsync(queue, text);
            }
        }

        var aggregate = (await h.TakeAllAsync(h.Layout.AggregateQueue))[^1];
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => h.HandleAsync(h.Layout.AggregateQueue, aggregate))));

        Assert.Equal(["race.json"], await h.BlobsAsync(h.Layout.ResultsContainer));
        Assert.Equal(["race.json"], await h.BlobsAsync(h.Layout.AuditContainer));
        var audit = (await h.Get<RequestReader>().AuditAsync("race", default))!.ToString();
        var result = (await h.Storage.TryReadAsync(h.Layout.ResultsContainer, "race.json", default))!.ToString();
        Assert.Contains("\"status\":\"succeeded\"", audit);
        Assert.Contains("\"status\":\"succeeded\"", result);
    }

    [Fact]
    public async Task Submit_LargePayload_TravelsByClaimCheck()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        // 49 KiB of float32 input: 392 rows of 32 values.
        int rows = 49 * 1024 / (4 * PipelineHarness.DModel);
        var x = Rows(rows, seed: 4);

        var record = await h.Get<InferenceSubmitter>().SubmitAsync("big", "demo", x, rows, PipelineHarness.DModel, 1, null, null, null, default);

        Assert.Null(record.Payload.Inline);
        Assert.Equal(StorageLayout.PayloadBlob("big"), record.Payload.Blob);
        Assert.Equal(["big.bin"], await h.BlobsAsync(h.Layout.PayloadsContainer));
        await h.DrainAsync();
        var result = await h.Get<RequestReader>().ResultAsync("big", default);
        var expected = h.Get<ModelRegistry>().Engine("demo").Forward(x, rows, 1);
        Assert.Equal(expected.Row(rows - 1).ToArray(), result!.Outputs![rows - 1]);
    }

    [Fact]
    public async Task Submit_SmallPayload_TravelsInline()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);

        var record = await h.Get<InferenceSubmitter>().SubmitAsync("small", "demo", Rows(2, seed: 5), 2, PipelineHarness.DModel, 1, null, null, null, default);

        Assert.NotNull(record.Payload.Inline);
        Assert.Empty(await h.BlobsAsync(h.Layout.PayloadsContainer));
    }

    [Fact]
    public async Task Audit_SucceededRequest_RecordsModelRoutingInputHashAndOutputs()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var x = Rows(3, seed: 6);
        // Ingress hands the submitter the caller's pseudonym, never the raw id.
        var caller = h.Get<DeepSeek.Pipeline.Privacy.Pseudonymizer>().Caller("alice@example")!;
        await h.Get<InferenceSubmitter>().SubmitAsync("aud", "demo", x, 3, PipelineHarness.DModel, 11, new RequestOwner("bank", caller), "job1", 0, default);
        await h.DrainAsync();

        var audit = (await h.Get<RequestReader>().AuditAsync("aud", default))!.ToString();

        Assert.Contains("\"schemaVersion\":2", audit);
        Assert.Contains("\"jobId\":\"job1\"", audit);
        Assert.Contains($"\"caller\":\"{caller}\"", audit);
        Assert.DoesNotContain("alice@example", audit);
        Assert.Contains("\"tenant\":\"bank\"", audit);
        Assert.Contains("\"seed\":11", audit);
        Assert.Contains(FloatPayload.Sha256(x), audit);
        Assert.Contains("expert_000.onnx", audit);
        Assert.Contains("\"activatedExperts\":[", audit);
        Assert.Contains("\"outputs\":[[", audit);
    }

    internal static float[] Rows(int rows, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * PipelineHarness.DModel).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
