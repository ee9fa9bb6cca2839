using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DeepSeek.Pipeline.Requests;

/// <summary>Rows as bytes: little-endian float32, row-major (the layout of inline payloads, claim-check blobs and partials).</summary>
public static class FloatPayload
{
    /// <summary>Gets the bytes of a float span.</summary>
    /// <param name="values">The values.</param>
    /// <returns>A copy of their bytes.</returns>
    public static byte[] ToBytes(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values).ToArray();

    /// <summary>Reads floats from bytes.</summary>
    /// <param name="bytes">The bytes (length a multiple of 4).</param>
    /// <returns>The values.</returns>
    /// <exception cref="InvalidDataException">The length is not a multiple of 4.</exception>
    public static float[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"A float payload of {bytes.Length} bytes is not a multiple of 4.");
        }

        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>Lowercase hex SHA-256 of the rows' bytes.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The hash.</returns>
    public static string Sha256(ReadOnlySpan<float> values) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values)));

    /// <summary>Base64 of the rows' bytes.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The text.</returns>
    public static string ToBase64(ReadOnlySpan<float> values) => Convert.ToBase64String(MemoryMarshal.AsBytes(values));

    /// <summary>Rows from base64.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The values.</returns>
    public static float[] FromBase64(string text) => FromBytes(Convert.FromBase64String(text));
}
