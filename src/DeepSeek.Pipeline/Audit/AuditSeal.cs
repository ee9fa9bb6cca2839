using System.Globalization;
using System.Text;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// A signed statement that a partition's chain had reached <see cref="Seq"/> with hash <see cref="Hash"/>
/// (<c>seals/{partition}/{seq}.json</c>, create-if-absent). Removing records after a seal, or rewriting the chain
/// up to it, no longer matches the seal; forging a seal needs the key.
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Seq">The sealed sequence number.</param>
/// <param name="Hash">The hash of the record at that number.</param>
/// <param name="SealedAt">When it was sealed.</param>
/// <param name="Algorithm">The signature algorithm.</param>
/// <param name="KeyId">The key id.</param>
/// <param name="Signature">The signature of <see cref="Message"/>, base64.</param>
public sealed record AuditSeal(string Partition, long Seq, string Hash, DateTimeOffset SealedAt, string Algorithm, string KeyId, string Signature)
{
    /// <summary>Gets the signed text: <c>deepseek-audit-seal/1</c>, partition, seq, hash, time (round-trip format), key id, one per line.</summary>
    /// <returns>The UTF-8 bytes.</returns>
    public byte[] Message() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"deepseek-audit-seal/1\n{Partition}\n{Seq}\n{Hash}\n{SealedAt.UtcDateTime:O}\n{Algorithm}\n{KeyId}"));
}
