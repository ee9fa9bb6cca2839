using System.Text.Json;
using DeepSeek.Pipeline;
using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Worker.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class PoisonTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Gate_HandlerAlwaysThrows_EndsInPoisonWithFailedStatusAndFailureAudit()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var fast = new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2",
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.200",
        };
        await using var worker = await RunningWorker.StartAsync(h, fast);
        // A claim-checked request whose payload blob is gone: the gate fails on every delivery.
        var request = new RequestRecord
        {
            RequestId = "lost-payload",
            Model = "demo",
            Seed = 1,
            Rows = 1,
            Cols = PipelineHarness.DModel,
            InputSha256 = new string('0', 64),
            Payload = new PayloadRef(null, StorageLayout.PayloadBlob("lost-payload")),
            SubmittedAt = DateTimeOffset.UnixEpoch,
        };
        await h.Storage.TryCreateAsync(h.Layout.StateContainer, StorageLayout.RequestBlob(request.RequestId),
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(request, PipelineJsonContext.Default.RequestRecord)), default);
        await h.Storage.SendAsync(h.Layout.GateQueue,
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(new GateMessage(GateMessage.Current, request), PipelineJsonContext.Default.GateMessage)), default);

        InferenceResult? result = null;
        for (int i = 0; i < 300 && result is null; i++)
        {
            await Task.Delay(100);
            result = await h.Get<RequestReader>().ResultAsync(request.RequestId, default);
        }

        Assert.NotNull(result);
        Assert.Equal(RequestStatus.Failed, result.Status);
        Assert.Contains($"{h.Layout.GateQueue}-poison", result.Error);
        Assert.Contains("does not exist", result.Error);
        // The poison handler writes the result first, then the audit record.
        string? audit = null;
        for (int i = 0; i < 100 && audit is null; i++)
        {
            audit = (await h.Get<RequestReader>().AuditAsync(request.RequestId, default))?.ToString();
            if (audit is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(audit);
        Assert.Contains("\"status\":\"failed\"", audit);
        Assert.Contains("does not exist", audit);
        var view = await worker.Http.GetStringAsync($"/api/v1/requests/{request.RequestId}");
        Assert.Contains("\"status\":\"failed\"", view);
    }
}
