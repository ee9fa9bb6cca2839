using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Functions.Tests.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class PoisonFunctionsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GatePoison_GateMessageFailedEveryDelivery_RequestReportsFailedWithQueue()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var app = new FunctionApp(h);
        var id = await SubmitAsync(app);
        var message = Assert.Single(await h.TakeAllAsync(h.Layout.GateQueue));

        await app.Poison(shard: 0).GatePoison(message, default);

        var (status, error) = await StatusAsync(app, id);
        Assert.Equal("failed", status);
        Assert.Contains($"{h.Layout.GateQueue}-poison", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpertPoison_ExpertMessageFailedEveryDelivery_RequestReportsFailedWithShardQueue()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var app = new FunctionApp(h);
        var id = await SubmitAsync(app);
        await app.Gate.Gate(Assert.Single(await h.TakeAllAsync(h.Layout.GateQueue)), default);
        int shard = 0;
        var messages = await h.TakeAllAsync(h.Layout.ExpertQueue(shard));
        if (messages.Count == 0)
        {
            messages = await h.TakeAllAsync(h.Layout.ExpertQueue(shard = 1));
        }

        await app.Poison(shard).ExpertPoison(messages[0], default);

        var (status, error) = await StatusAsync(app, id);
        Assert.Equal("failed", status);
        Assert.Contains($"{h.Layout.ExpertQueue(shard)}-poison", error, StringComparison.Ordinal);
    }

    private static async Task<string> SubmitAsync(FunctionApp app)
    {
        var infer = app.Request("POST", "/api/v1/infer", "?mode=async", Inputs.InferBody(Inputs.Rows(2, seed: 3), 5));
        await app.Http.Infer(infer);
        return FunctionApp.Response(infer).Body.GetProperty("requestId").GetString()!;
    }

    private static async Task<(string? Status, string? Error)> StatusAsync(FunctionApp app, string id)
    {
        var get = app.Request("GET", $"/api/v1/requests/{id}");
        await app.Http.GetRequest(get, id);
        var body = FunctionApp.Response(get).Body;
        return (body.GetProperty("status").GetString(), body.GetProperty("error").GetString());
    }
}
