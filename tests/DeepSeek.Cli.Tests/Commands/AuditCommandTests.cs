using System.Globalization;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Cli.Tests.Commands;

/// <summary>
/// `deepseek audit verify` over a log written by the real pipeline on Azurite: an untouched log verifies; flipping a
/// byte of one record, deleting one, or swapping two is reported at that record.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditCommandTests(AzuriteFixture azurite)
{
    private const string SealKey = "c2VhbC1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";

    [Fact]
    public async Task Verify_UntouchedLog_ExitsZero()
    {
        await using var h = await RunAsync(4);

        var run = await CliRunner.RunAsync(["audit", "verify", .. Storage(h)]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("intact: 1 partitions, 4 records", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flip", 3, "altered")]
    [InlineData("delete", 3, "removed")]
    [InlineData("swap", 2, "reordered")]
    public async Task Verify_OneRecordTampered_ExitsTwoNamingThatRecord(string tamper, int seq, string kind)
    {
        await using var h = await RunAsync(5);
        var (partition, keys) = await ChainAsync(h);
        var audit = h.Layout.AuditContainer;
        var target = StorageLayout.AuditBlob(keys[seq]);
        switch (tamper)
        {
            case "flip":
                var bytes = (await h.Storage.TryReadAsync(audit, target, default))!.ToArray();
                bytes[bytes.Length / 2] ^= 0x01;
                await h.Storage.WriteAsync(audit, target, BinaryData.FromBytes(bytes), default);
                break;
            case "delete":
                await h.Storage.DeleteAsync(audit, target, default);
                break;
            default:
                var other = StorageLayout.AuditBlob(keys[4]);
                var a = (await h.Storage.TryReadAsync(audit, target, default))!;
                var b = (await h.Storage.TryReadAsync(audit, other, default))!;
                await h.Storage.WriteAsync(audit, target, b, default);
                await h.Storage.WriteAsync(audit, other, a, default);
                break;
        }

        var run = await CliRunner.RunAsync(["audit", "verify", .. Storage(h)]);

        Assert.Equal(2, run.ExitCode);
        var first = run.Out.Split('\n')[0];
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"TAMPERED: {kind}: {partition} #{seq} ({keys[seq]})"), first, StringComparison.Ordinal);
        if (tamper == "swap")
        {
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"also reordered: {partition} #4 ({keys[4]})"), run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SealThenVerify_WithSettingsFile_SealsCheckedAndRangeFilters()
    {
        await using var h = await RunAsync(2);
        using var folder = new TempFolder();
        var settings = folder.Sub("settings.json");
        File.WriteAllText(settings, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["AzureWebJobsStorage"] = h.Configuration["AzureWebJobsStorage"]!,
            ["Pipeline"] = new { Prefix = h.Layout.Prefix },
            ["Audit"] = new { Seal = new { Key = SealKey } },
        }));

        var seal = await CliRunner.RunAsync("audit", "seal", "--settings", settings);
        var verify = await CliRunner.RunAsync("audit", "verify", "--settings", settings);
        var none = await CliRunner.RunAsync("audit", "verify", "--settings", settings, "--from", "2001-01-01T00:00Z", "--to", "2001-01-02");

        Assert.Equal(0, seal.ExitCode);
        Assert.Contains("1 heads sealed", seal.Out, StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("2 records, 1 seals checked", verify.Out, StringComparison.Ordinal);
        Assert.StartsWith("intact: 0 partitions", none.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_FullInput_ConfirmsAndShowPrintsTheRecord()
    {
        await using var h = await RunAsync(1);
        var (_, keys) = await ChainAsync(h);

        var replay = await CliRunner.RunAsync(["audit", "replay", keys[1], "--models", h.ModelsPath, .. Storage(h)]);
        var show = await CliRunner.RunAsync(["audit", "show", keys[1], .. Storage(h)]);
        var missing = await CliRunner.RunAsync(["audit", "replay", "nope", "--models", h.ModelsPath, .. Storage(h)]);

        Assert.Equal(0, replay.ExitCode);
        Assert.StartsWith("confirmed: 2 rows recomputed", replay.Out, StringComparison.Ordinal);
        Assert.Contains("\"hash\":\"", show.Out, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No audit record 'nope'", missing.Error, StringComparison.Ordinal);
    }

    private static string[] Storage(PipelineHarness h) => ["--connection", h.Configuration["AzureWebJobsStorage"]!, "--prefix", h.Layout.Prefix];

    private async Task<PipelineHarness> RunAsync(int requests)
    {
        var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Privacy:InputPolicy"] = "Full" });
        for (int i = 0; i < requests; i++)
        {
            var x = TestData.Gaussian(2 * PipelineHarness.DModel, seed: i);
            await h.Get<InferenceSubmitter>().SubmitAsync($"req-{i}", "demo", x, 2, PipelineHarness.DModel, (ulong)i, null, null, null, default);
            // One at a time, so the chain order is the submission order.
            await h.DrainAsync();
        }

        return h;
    }

    // The partition and its keys by sequence number (keys[1] is #1).
    private static async Task<(string Partition, string[] Keys)> ChainAsync(PipelineHarness h)
    {
        var entries = await h.BlobsAsync(h.Layout.AuditLogContainer, StorageLayout.AuditChainPrefix);
        var partition = entries.Select(e => e.Split('/')[1]).GroupBy(p => p).OrderByDescending(g => g.Count()).First().Key;
        var keys = entries.Where(e => e.Split('/')[1] == partition).Select(e => e.Split('/')[2][11..]).ToList();
        return (partition, ["", .. keys]);
    }
}
