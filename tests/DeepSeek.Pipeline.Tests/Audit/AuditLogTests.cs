using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class AuditLogTests(AzuriteFixture azurite)
{
    internal const string SealKey = "c2VhbC1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXMhIQ==";
    private const string Partition = "20250131T09-0";

    [Fact]
    public async Task Append_EightConcurrentWriters_OneGaplessChainThatVerifies()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var log = h.Get<AuditLog>();

        // Every key is appended twice, by different writers at once: each must land exactly once.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<AuditAppendResult>();
            for (int i = 0; i < 6; i++)
            {
                int n = (w % 4) * 6 + i;
                mine.Add(await log.AppendAsync(Partition, $"k{n}", Payload(n), default));
            }

            return mine;
        })));

        var appended = results.SelectMany(r => r).Where(r => r.Appended).ToList();
        Assert.Equal(24, appended.Count);
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), appended.Select(r => r.Link!.Seq).Order());
        Assert.Equal(24, appended.Select(r => r.Link!.Key).Distinct().Count());
        var report = await new AuditVerifier(h.Storage, null).VerifyAsync(null, null, default);
        Assert.True(report.Intact, string.Join("\n", report.Findings));
        Assert.Equal(24, report.Records);
    }

    [Fact]
    public async Task Append_CrashAfterHeadMoved_VerifyCallsItPendingAndTheNextAppendCompletesIt()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var log = h.Get<AuditLog>();
        await log.AppendAsync(Partition, "a", Payload(1), default);
        var second = await log.AppendAsync(Partition, "b", Payload(2), default);
        // As if the writer died right after swapping the head: neither the record nor its index entry was written.
        await h.Storage.DeleteAsync(h.Layout.AuditContainer, StorageLayout.AuditBlob("b"), default);
        await h.Storage.DeleteAsync(h.Layout.AuditLogContainer, StorageLayout.AuditChainEntry(Partition, 2, "b"), default);

        var pending = await new AuditVerifier(h.Storage, null).VerifyAsync(null, null, default);
        var retried = await log.AppendAsync(Partition, "b", Payload(2), default);
        var third = await log.AppendAsync(Partition, "c", Payload(3), default);
        var after = await new AuditVerifier(h.Storage, null).VerifyAsync(null, null, default);

        Assert.True(pending.Intact, string.Join("\n", pending.Findings));
        Assert.Contains(pending.Notes, n => n.Contains("#2 (b) is held by the head", StringComparison.Ordinal));
        Assert.False(retried.Appended);
        Assert.Equal(second.Link, retried.Link);
        Assert.Equal(3, third.Link!.Seq);
        Assert.Equal(second.Hash, third.Link.Prev);
        Assert.True(after.Intact, string.Join("\n", after.Findings));
        Assert.Equal(3, after.Records);
        Assert.DoesNotContain(after.Notes, n => n.Contains("held by the head", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Seal_ThenTailRemovedAndHeadRolledBack_VerifyReportsTruncation()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite, Seal());
        var log = h.Get<AuditLog>();
        for (int i = 1; i <= 5; i++)
        {
            await log.AppendAsync(Partition, $"k{i}", Payload(i), default);
        }

        var seals = await h.Get<AuditSealer>().SealAsync(all: true, default);
        using var signer = Signer();
        var sealedReport = await new AuditVerifier(h.Storage, signer).VerifyAsync(null, null, default);

        // A careful attacker removes the last record and its index entry and puts the head back to #4.
        var fourth = (await h.Storage.TryReadAsync(h.Layout.AuditContainer, StorageLayout.AuditBlob("k4"), default))!.ToArray();
        AuditRecordFormat.TryCheck(fourth, out var hash4, out _);
        var head = new AuditHead(Partition, 4, hash4!, "k4", fourth, TimeProvider.System.GetUtcNow());
        await h.Storage.WriteAsync(h.Layout.AuditLogContainer, StorageLayout.AuditHeadBlob(Partition), BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(head, PipelineJsonContext.Default.AuditHead)), default);
        await h.Storage.DeleteAsync(h.Layout.AuditContainer, StorageLayout.AuditBlob("k5"), default);
        await h.Storage.DeleteAsync(h.Layout.AuditLogContainer, StorageLayout.AuditChainEntry(Partition, 5, "k5"), default);
        var report = await new AuditVerifier(h.Storage, signer).VerifyAsync(null, null, default);

        Assert.Equal(5, Assert.Single(seals).Seq);
        Assert.True(sealedReport.Intact, string.Join("\n", sealedReport.Findings));
        Assert.Equal(1, sealedReport.Seals);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("truncated", 5L), (finding.Kind, finding.Seq));
    }

    [Fact]
    public async Task Seal_ForgedSignature_Reported()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var log = h.Get<AuditLog>();
        var last = await log.AppendAsync(Partition, "k1", Payload(1), default);
        var forged = new AuditSeal(Partition, 1, last.Hash!, TimeProvider.System.GetUtcNow(), AuditSealOptions.Hmac, "k1", Convert.ToBase64String(new byte[32]));
        await h.Storage.WriteAsync(h.Layout.AuditLogContainer, StorageLayout.AuditSealBlob(Partition, 1), BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(forged, PipelineJsonContext.Default.AuditSeal)), default);
        using var signer = Signer();

        var report = await new AuditVerifier(h.Storage, signer).VerifyAsync(null, null, default);

        Assert.Equal("seal", Assert.Single(report.Findings).Kind);
    }

    [Fact]
    public async Task Seal_Ecdsa_HostSignsWithPrivateKeyAuditorVerifiesWithPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var h = await PipelineHarness.CreateAsync(azurite, new Dictionary<string, string?>
        {
            ["Audit:Seal:Algorithm"] = AuditSealOptions.Ecdsa,
            ["Audit:Seal:PrivateKeyPem"] = key.ExportECPrivateKeyPem(),
        });
        await h.Get<AuditLog>().AppendAsync(Partition, "k1", Payload(1), default);
        await h.Get<AuditSealer>().SealAsync(all: true, default);
        using var auditor = SealSigner.Create(new AuditSealOptions { Algorithm = AuditSealOptions.Ecdsa, PublicKeyPem = key.ExportSubjectPublicKeyInfoPem() })!;
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = SealSigner.Create(new AuditSealOptions { Algorithm = AuditSealOptions.Ecdsa, PublicKeyPem = otherKey.ExportSubjectPublicKeyInfoPem() })!;

        var report = await new AuditVerifier(h.Storage, auditor).VerifyAsync(null, null, default);
        var wrongKey = await new AuditVerifier(h.Storage, stranger).VerifyAsync(null, null, default);

        Assert.False(auditor.CanSign);
        Assert.True(report.Intact, string.Join("\n", report.Findings));
        Assert.Equal(1, report.Seals);
        Assert.Equal("seal", Assert.Single(wrongKey.Findings).Kind);
    }

    [Fact]
    public async Task Verify_SchemaOneRecordBesideTheChain_NotedNotFailed()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        await h.Get<AuditLog>().AppendAsync(Partition, "k1", Payload(1), default);
        await h.Storage.WriteAsync(h.Layout.AuditContainer, StorageLayout.AuditBlob("old"), BinaryData.FromString("{\"schemaVersion\":1,\"requestId\":\"old\",\"status\":\"succeeded\"}"), default);

        var report = await new AuditVerifier(h.Storage, null).VerifyAsync(null, null, default);

        Assert.True(report.Intact);
        Assert.Contains(report.Notes, n => n.StartsWith("1 schema-1 records", StringComparison.Ordinal));
    }

    internal static Dictionary<string, string?> Seal() => new() { ["Audit:Seal:Key"] = SealKey };

    internal static SealSigner Signer() => SealSigner.Create(new AuditSealOptions { Key = SealKey })!;

    private static byte[] Payload(int n) => Encoding.UTF8.GetBytes($"{{\"n\":{n}}}");
}
