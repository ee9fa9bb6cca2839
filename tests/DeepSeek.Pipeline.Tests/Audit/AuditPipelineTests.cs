using System.Security.Cryptography;
using System.Text.Json;
using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Experts;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests.Stages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class AuditPipelineTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Pipeline_RequestsWithAggregateDeliveredTwice_EachChainedOnceAndTheLogVerifies()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Audit:ChainShards"] = "2" });
        for (int i = 0; i < 6; i++)
        {
            await h.Get<InferenceSubmitter>().SubmitAsync($"r{i}", "demo", StageTests.Rows(2, seed: i), 2, PipelineHarness.DModel, (ulong)i, null, null, null, default);
        }

        foreach (var queue in h.StageQueues)
        {
            foreach (var text in await h.TakeAllAsync(queue))
            {
                await h.HandleAsync(queue, text);
                if (queue == h.Layout.AggregateQueue)
                {
                    await h.HandleAsync(queue, text);
                }
            }
        }

        var entries = await h.BlobsAsync(h.Layout.AuditLogContainer, StorageLayout.AuditChainPrefix);
        var report = await new AuditVerifier(h.Storage, null).VerifyAsync(null, null, default);
        var record = JsonSerializer.Deserialize((await h.Storage.TryReadAsync(h.Layout.AuditContainer, StorageLayout.AuditBlob("r0"), default))!.ToMemory().Span, PipelineJsonContext.Default.AuditRecord)!;

        Assert.Equal(6, entries.Count);
        Assert.Equal(6, entries.Select(e => e[(e.LastIndexOf('/') + 12)..]).Distinct().Count());
        Assert.True(report.Intact, string.Join("\n", report.Findings));
        Assert.Equal(6, report.Records);
        Assert.Equal(AuditRecord.CurrentSchemaVersion, record.SchemaVersion);
        Assert.Equal("hash", record.Input!.Policy);
        Assert.Equal(h.Get<AuditLog>().Partition(record.CompletedAt, "r0"), record.Chain!.Partition);
    }

    [Fact]
    public async Task Replay_FullInputPolicy_ConfirmsTheRecordedOutputs()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Privacy:InputPolicy"] = "Full" });
        await h.Get<InferenceSubmitter>().SubmitAsync("replay", "demo", StageTests.Rows(4, seed: 9), 4, PipelineHarness.DModel, 77, null, null, null, default);
        await h.DrainAsync();

        var result = await h.Get<AuditReplayer>().ReplayAsync("replay", AuditReplayer.DefaultTolerance, default);

        Assert.True(result.Confirmed, result.Message);
        Assert.Equal(0, result.MaxAbsDifference);
    }

    [Fact]
    public async Task Replay_HashInputPolicy_RefusedSayingWhy()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await h.Get<InferenceSubmitter>().SubmitAsync("hashed", "demo", StageTests.Rows(1, seed: 9), 1, PipelineHarness.DModel, 1, null, null, null, default);
        await h.DrainAsync();

        var ex = await Assert.ThrowsAsync<AuditReplayException>(() => h.Get<AuditReplayer>().ReplayAsync("hashed", 1e-5, default));

        Assert.Contains("Privacy:InputPolicy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_OtherModelFilesUnderTheSameVersion_RefusedNamingTheFile()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Privacy:InputPolicy"] = "Full" });
        await h.Get<InferenceSubmitter>().SubmitAsync("other", "demo", StageTests.Rows(1, seed: 9), 1, PipelineHarness.DModel, 1, null, null, null, default);
        await h.DrainAsync();
        using var folder = new TempFolder();
        // Same id and version, different weights (another seed): the file hashes tell them apart.
        var manifest = h.Get<ModelRegistry>().Bundles.Single().Manifest;
        DemoBundle.Create(folder.Sub("demo"), new DemoBundleOptions { DModel = PipelineHarness.DModel, DFf = 64, Experts = 8, TopK = 2, Shards = 2, SharedExperts = 1, Seed = 4242 });
        var moeJson = Path.Combine(folder.Sub("demo"), Moe.Bundles.MoeManifest.FileName);
        File.WriteAllText(moeJson, File.ReadAllText(moeJson).Replace("1.0.0-seed4242", manifest.Version, StringComparison.Ordinal));
        using var other = new ModelRegistry(Options.Create(new PipelineOptions { ModelsPath = folder.Path }), Options.Create(new ExpertRuntimeOptions()), Options.Create(new BatchingOptions { Enabled = false }), NullLogger<ModelRegistry>.Instance);

        var ex = await Assert.ThrowsAsync<AuditReplayException>(() => new AuditReplayer(h.Storage, other).ReplayAsync("other", 1e-5, default));

        Assert.Contains(".onnx: the record says SHA-256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InputPolicy_Noised_KeepsNoisedCopyWithItsHashAndTheOriginalHash()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Privacy:InputPolicy"] = "Noised", ["Privacy:InputNoiseScale"] = "0.5" });
        var x = StageTests.Rows(3, seed: 2);
        await h.Get<InferenceSubmitter>().SubmitAsync("noised", "demo", x, 3, PipelineHarness.DModel, 1, null, null, null, default);
        await h.DrainAsync();

        var record = JsonSerializer.Deserialize((await h.Storage.TryReadAsync(h.Layout.AuditContainer, StorageLayout.AuditBlob("noised"), default))!.ToMemory().Span, PipelineJsonContext.Default.AuditRecord)!;
        var kept = (await h.Storage.TryReadAsync(h.Layout.AuditLogContainer, record.Input!.Blob!, default))!.ToArray();
        var noised = Requests.FloatPayload.FromBytes(kept);

        Assert.Equal(("noised", "laplace", 0.5), (record.Input.Policy, record.Input.Noise, record.Input.NoiseScale!.Value));
        Assert.Equal(Requests.FloatPayload.Sha256(x), record.Input.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(kept)), record.Input.BlobSha256);
        double meanAbs = noised.Zip(x, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanAbs, 0.2, 0.9);
        Assert.True((await new AuditVerifier(h.Storage, null).VerifyAsync(null, null, default)).Intact);
    }
}
