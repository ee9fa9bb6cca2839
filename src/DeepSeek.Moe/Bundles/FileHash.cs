using System.Security.Cryptography;

namespace DeepSeek.Moe.Bundles;

/// <summary>SHA-256 of files, as lowercase hex.</summary>
public static class FileHash
{
    /// <summary>Computes the lowercase hex SHA-256 of a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>64 lowercase hex characters.</returns>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
