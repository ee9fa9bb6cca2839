using System.Security.Cryptography;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// Job ids: <c>job-</c> and 26 lowercase Crockford base32 characters (48 bits of milliseconds, then 80 random
/// bits, ULID-style), so ids sort by submission time and are valid in blob names.
/// </summary>
internal static class JobIds
{
    public const string Prefix = "job-";
    private const int Length = 26;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(TimeProvider time)
    {
        Span<byte> bits = stackalloc byte[17];
        ulong ms = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        for (int i = 0; i < 6; i++)
        {
            bits[1 + i] = (byte)(ms >> (8 * (5 - i)));
        }

        RandomNumberGenerator.Fill(bits[7..]);

        // 130 bits (2 leading zero bits, then 48 + 80) in 26 groups of five.
        Span<char> text = stackalloc char[Length];
        for (int g = 0; g < Length; g++)
        {
            int bit = 6 + (g * 5);
            int value = 0;
            for (int b = 0; b < 5; b++, bit++)
            {
                value = (value << 1) | ((bits[bit / 8] >> (7 - (bit % 8))) & 1);
            }

            text[g] = Alphabet[value];
        }

        return Prefix + new string(text);
    }

    /// <summary>Tells whether text has the shape of a job id (anything else is never looked up in storage).</summary>
    public static bool IsValid(string? id) =>
        id is { Length: 30 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).IndexOfAnyExcept(Alphabet) < 0;
}
