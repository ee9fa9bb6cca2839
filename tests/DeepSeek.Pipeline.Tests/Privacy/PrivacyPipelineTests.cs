using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DeepSeek.Pipeline.Http;
using DeepSeek.Pipeline.Security;
using DeepSeek.Pipeline.Tests.Stages;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Tests.Privacy;

/// <summary>
/// Personal data and secrets sent in request metadata (and as the caller id) never appear verbatim in anything the
/// pipeline writes: every blob of every container, every queue message as it was sent, every log line at every level.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PrivacyPipelineTests(AzuriteFixture azurite)
{
    public const string Email = "jane.doe@clinic.example";
    public const string Card = "4539 1488 0343 6467";
    public const string CardDigits = "4539148803436467";
    public const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXZhbHVl";
    public const string Caller = "dr.house@clinic.example";

    public static readonly string[] Secrets = [Email, Card, CardDigits, Token, Caller, "c2lnbmF0dXJlLXZhbHVl"];

    [Theory]
    [InlineData("Hash")]
    [InlineData("Full")]
    public async Task InferAndJob_MetadataWithEmailCardAndBearerToken_NeverStoredSentOrLoggedVerbatim(string inputPolicy)
    {
        var logs = new RecordingLoggerProvider();
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?>
        {
            ["Privacy:PseudonymKey"] = RedactorTests.Key,
            ["Privacy:InputPolicy"] = inputPolicy,
        }, logging: b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var rows = StageTests.Rows(2, seed: 3);
        var body = $$$"""
            {"model":"demo","inputs":[{{{Row(rows, 0)}}},{{{Row(rows, 1)}}}],"options":{"seed":5},
             "metadata":{"patient":"{{{Email}}}","payment":"card {{{Card}}}","Authorization":"Bearer {{{Token}}}","note":"call back {{{Email}}}"}}
            """;
        var job = $$$"""
            {"inputs":[{{{Row(rows, 0)}}}],"metadata":{"email":"{{{Email}}}","card":"{{{CardDigits}}}"}}
            {"inputs":[{{{Row(rows, 1)}}}],"Metadata":{"auth":"Bearer {{{Token}}}"}}
            {"inputs":[[1,2]],"metadata":{"broken":"{{{Email}}}"
            """;

        var caller = new CallerIdentity { Scheme = "bearer", Caller = Caller, Tenant = "tenant-clinic", Roles = new HashSet<string> { MoeRoles.Admin } };
        var accepted = await h.Get<InferenceApi>().InferAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), asyncMode: true, caller, "http://localhost", default);
        var jobAccepted = await h.Get<JobsApi>().SubmitAsync("demo", new MemoryStream(Encoding.UTF8.GetBytes(job)), caller, "http://localhost", default);
        var sent = new List<string>();
        foreach (var text in await h.TakeAllAsync(h.Layout.JobsQueue))
        {
            sent.Add(text);
            await h.Get<DeepSeek.Pipeline.Jobs.JobStage>().HandleAsync(text, default);
        }

        for (int idle = 0; idle < 2;)
        {
            int handled = 0;
            foreach (var queue in h.StageQueues)
            {
                foreach (var text in await h.TakeAllAsync(queue))
                {
                    sent.Add(text);
                    await h.HandleAsync(queue, text);
                    handled++;
                }
            }

            idle = handled == 0 ? idle + 1 : 0;
        }

        Assert.Equal(202, accepted.StatusCode);
        Assert.Equal(202, jobAccepted.StatusCode);
        var blobs = await EveryBlobAsync(h);
        var left = await EveryQueueMessageAsync(h);
        Assert.Contains(blobs, b => b.Text.Contains("pii:email:", StringComparison.Ordinal));
        Assert.Contains(blobs, b => b.Text.Contains("pii:caller:", StringComparison.Ordinal));
        Assert.Contains(blobs, b => b.Text.Contains("\"1/email\":\"pii:email:", StringComparison.Ordinal));
        Assert.NotEmpty(logs.Lines);
        Assert.True(sent.Count > 5);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(blobs, b => b.Text.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(sent.Concat(left), m => m.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    public static async Task<List<(string Name, string Text)>> EveryBlobAsync(PipelineHarness h)
    {
        var service = new BlobServiceClient(h.Configuration["AzureWebJobsStorage"]);
        var found = new List<(string, string)>();
        await foreach (var container in service.GetBlobContainersAsync())
        {
            var client = service.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
                // Binary blobs (tensors) are scanned as bytes and as their base64, which is how JSON carries them.
                found.Add(($"{container.Name}/{blob.Name}", Encoding.UTF8.GetString(content.ToArray()) + "\n" + Convert.ToBase64String(content.ToArray())));
            }
        }

        return found;
    }

    public static async Task<List<string>> EveryQueueMessageAsync(PipelineHarness h)
    {
        var service = new QueueServiceClient(h.Configuration["AzureWebJobsStorage"], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var texts = new List<string>();
        await foreach (var queue in service.GetQueuesAsync())
        {
            foreach (var message in (await service.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                texts.Add(message.Body.ToString());
            }
        }

        return texts;
    }

    private static string Row(float[] rows, int r) =>
        "[" + string.Join(",", rows.Skip(r * PipelineHarness.DModel).Take(PipelineHarness.DModel).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
