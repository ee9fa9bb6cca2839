using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// Reads the public keys of locally signed tokens: a PEM <c>PUBLIC KEY</c> (RSA or EC) and/or a JSON Web Key Set file.
/// A private key is refused: the hosts only verify, and a signing key has no business on them.
/// </summary>
internal static class SigningKeyFiles
{
    private const string PublicKeyLabel = "PUBLIC KEY";

    /// <summary>Loads every configured key.</summary>
    /// <exception cref="InvalidDataException">A file is missing, unreadable, or holds no usable public key.</exception>
    public static IReadOnlyList<SecurityKey> Load(AuthOptions options)
    {
        var keys = new List<SecurityKey>();
        if (!string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            keys.Add(FromPem(options.SigningKeyFile));
        }

        if (!string.IsNullOrWhiteSpace(options.JwksFile))
        {
            keys.AddRange(FromJwks(options.JwksFile));
        }

        return keys;
    }

    /// <summary>The key id of a local key: its RFC 7638 JWK thumbprint, base64url.</summary>
    public static string KeyId(AsymmetricSecurityKey key) =>
        Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint());

    private static SecurityKey FromPem(string path)
    {
        var text = Read(path, nameof(AuthOptions.SigningKeyFile));
        if (!PemEncoding.TryFind(text, out var fields))
        {
            throw new InvalidDataException($"Moe:Auth:SigningKeyFile '{path}' holds no PEM block; expected -----BEGIN {PublicKeyLabel}-----.");
        }

        var label = text[fields.Label];
        if (label != PublicKeyLabel)
        {
            throw new InvalidDataException($"Moe:Auth:SigningKeyFile '{path}' holds a '{label}' PEM block; give the {PublicKeyLabel} (a host only verifies tokens and must never hold the signing key).");
        }

        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(Convert.FromBase64String(text[fields.Base64Data]), out _);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"Moe:Auth:SigningKeyFile '{path}' is not a readable public key: {ex.Message}", ex);
        }

        AsymmetricSecurityKey key = publicKey.GetRSAPublicKey() is { } rsa ? new RsaSecurityKey(rsa)
            : publicKey.GetECDsaPublicKey() is { } ec ? new ECDsaSecurityKey(ec)
            : throw new InvalidDataException($"Moe:Auth:SigningKeyFile '{path}' is neither an RSA nor an EC public key ({publicKey.Oid.FriendlyName ?? publicKey.Oid.Value}).");
        key.KeyId = KeyId(key);
        return key;
    }

    private static IList<SecurityKey> FromJwks(string path)
    {
        var text = Read(path, nameof(AuthOptions.JwksFile));
        try
        {
            var set = new JsonWebKeySet(text);
            var keys = set.GetSigningKeys();
            if (keys.Count == 0)
            {
                throw new InvalidDataException($"Moe:Auth:JwksFile '{path}' holds no usable signing key (RSA or EC, \"use\":\"sig\" or no use).");
            }

            if (set.Keys.Any(k => k.HasPrivateKey))
            {
                throw new InvalidDataException($"Moe:Auth:JwksFile '{path}' holds a private key; give only public keys (a host only verifies tokens).");
            }

            return keys;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Moe:Auth:JwksFile '{path}' is not a JSON Web Key Set: {ex.Message}", ex);
        }
    }

    private static string Read(string path, string setting)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Moe:Auth:{setting} '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
