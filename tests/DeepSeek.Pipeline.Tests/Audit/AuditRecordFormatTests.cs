using System.Text;
using System.Text.Json;
using DeepSeek.Pipeline.Audit;

namespace DeepSeek.Pipeline.Tests.Audit;

public sealed class AuditRecordFormatTests
{
    private static readonly AuditChainLink s_link = new("20250131T09-0", 7, "req-1", new string('a', 64));

    [Fact]
    public void Seal_ThenCheck_HashMatchesAndRecordIsValidJsonWithChainAndHash()
    {
        var stored = AuditRecordFormat.Seal("{\"requestId\":\"req-1\",\"x\":[1.5,2]}"u8, s_link, out var hash);

        Assert.True(AuditRecordFormat.TryCheck(stored, out var claimed, out var computed));
        Assert.Equal(hash, claimed);
        Assert.Equal(hash, computed);
        var envelope = JsonSerializer.Deserialize(stored, PipelineJsonContext.Default.AuditEnvelope)!;
        Assert.Equal(s_link, envelope.Chain);
        Assert.Equal(hash, envelope.Hash);
        Assert.EndsWith($",\"hash\":\"{hash}\"}}", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AnySingleByteFlipped_Detected()
    {
        var stored = AuditRecordFormat.Seal("{\"requestId\":\"req-1\",\"outputs\":[[1E+20,0.25]]}"u8, s_link, out _);

        for (int i = 0; i < stored.Length; i++)
        {
            var copy = (byte[])stored.Clone();
            copy[i] ^= 0x20;
            Assert.False(AuditRecordFormat.TryCheck(copy, out _, out _), $"a flip at byte {i} went unnoticed");
        }
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData(" {\"a\":1}")]
    [InlineData("{\"a\":1,\"hash\":\"x\"}")]
    [InlineData("{\"chain\":{},\"a\":1}")]
    public void Seal_PayloadNotAPlainObject_Throws(string payload) =>
        Assert.Throws<ArgumentException>(() => AuditRecordFormat.Seal(Encoding.UTF8.GetBytes(payload), s_link, out _));

    [Fact]
    public void Partition_SameKeyAndHour_SameShard()
    {
        var at = new DateTimeOffset(2025, 1, 31, 9, 59, 0, TimeSpan.FromHours(2));

        var partition = AuditPartition.For(at, "req-1", 4);

        Assert.Equal(partition, AuditPartition.For(at.AddMinutes(-30), "req-1", 4));
        Assert.StartsWith("20250131T07-", partition, StringComparison.Ordinal);
        Assert.True(AuditPartition.TryParseHour(partition, out var hour));
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 7, 0, 0, TimeSpan.Zero), hour);
    }
}
