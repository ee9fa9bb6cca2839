using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// The canonical form of a chained record, defined on bytes so that no re-serialization can hide a change.
/// A payload is a JSON object <c>{...}</c> (UTF-8, no trailing whitespace). The record's <em>body</em> is the payload
/// with <c>,"chain":{"partition":...,"seq":...,"key":...,"prev":...}</c> inserted before its closing brace; its hash
/// is the lowercase hex SHA-256 of the body; the stored record is the body with <c>,"hash":"&lt;64 hex&gt;"</c>
/// inserted before its closing brace. So a stored record ends in exactly <see cref="HashSuffixLength"/> bytes
/// <c>,"hash":"…"}</c>, and removing them (keeping the <c>}</c>) gives back the hashed body.
/// </summary>
public static class AuditRecordFormat
{
    /// <summary>The <c>prev</c> of the first record of every partition: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The length of <c>,"hash":"</c> + 64 hex + <c>"}</c>.</summary>
    public const int HashSuffixLength = 75;

    private static readonly byte[] s_hashMember = Encoding.UTF8.GetBytes(",\"hash\":\"");

    /// <summary>Builds a stored record from a payload and its chain link.</summary>
    /// <param name="payload">The record as a JSON object without <c>chain</c> or <c>hash</c> members.</param>
    /// <param name="link">Its place in the chain.</param>
    /// <param name="hash">The record's hash.</param>
    /// <returns>The bytes to store.</returns>
    /// <exception cref="ArgumentException">The payload is not a JSON object, or already has a <c>chain</c> or <c>hash</c> member.</exception>
    public static byte[] Seal(ReadOnlySpan<byte> payload, AuditChainLink link, out string hash)
    {
        ArgumentNullException.ThrowIfNull(link);
        CheckPayload(payload);
        var linkJson = JsonSerializer.SerializeToUtf8Bytes(link, PipelineJsonContext.Default.AuditChainLink);
        bool empty = payload.Length == 2;
        var body = new List<byte>(payload.Length + linkJson.Length + 16);
        body.AddRange(payload[..^1]);
        body.AddRange(Encoding.UTF8.GetBytes(empty ? "\"chain\":" : ",\"chain\":"));
        body.AddRange(linkJson);
        body.Add((byte)'}');
        hash = Convert.ToHexStringLower(SHA256.HashData(body.ToArray()));

        var stored = new byte[body.Count - 1 + HashSuffixLength];
        body.CopyTo(0, stored, 0, body.Count - 1);
        int at = body.Count - 1;
        s_hashMember.CopyTo(stored, at);
        Encoding.ASCII.GetBytes(hash).CopyTo(stored, at + s_hashMember.Length);
        stored[^2] = (byte)'"';
        stored[^1] = (byte)'}';
        return stored;
    }

    /// <summary>Recomputes a stored record's hash from its bytes.</summary>
    /// <param name="stored">The stored bytes.</param>
    /// <param name="claimed">The hash the record states, or null when it does not end in a hash member.</param>
    /// <param name="computed">The SHA-256 of its body, or null when it does not end in a hash member.</param>
    /// <returns>True when the record ends in a hash member and that hash is the hash of its body.</returns>
    public static bool TryCheck(ReadOnlySpan<byte> stored, out string? claimed, out string? computed)
    {
        claimed = computed = null;
        if (stored.Length < HashSuffixLength + 2 || stored[0] != (byte)'{'
            || !stored[^HashSuffixLength..].StartsWith(s_hashMember) || stored[^2] != (byte)'"' || stored[^1] != (byte)'}')
        {
            return false;
        }

        var hex = stored[(stored.Length - HashSuffixLength + s_hashMember.Length)..^2];
        claimed = Encoding.ASCII.GetString(hex);
        var body = new byte[stored.Length - HashSuffixLength + 1];
        stored[..^HashSuffixLength].CopyTo(body);
        body[^1] = (byte)'}';
        computed = Convert.ToHexStringLower(SHA256.HashData(body));
        return string.Equals(claimed, computed, StringComparison.Ordinal);
    }

    private static void CheckPayload(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2 || payload[0] != (byte)'{' || payload[^1] != (byte)'}')
        {
            throw new ArgumentException("An audit payload must be one JSON object, with nothing before its '{' or after its '}'.", nameof(payload));
        }

        var reader = new Utf8JsonReader(payload);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && (reader.ValueTextEquals("chain"u8) || reader.ValueTextEquals("hash"u8)))
            {
                throw new ArgumentException("An audit payload must not carry \"chain\" or \"hash\": the audit log adds them.", nameof(payload));
            }

            reader.Read();
            reader.Skip();
        }
    }
}
