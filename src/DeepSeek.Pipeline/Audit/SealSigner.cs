using System.Security.Cryptography;

namespace DeepSeek.Pipeline.Audit;

/// <summary>Signs and checks seals with the configured HMAC secret or ECDSA key.</summary>
public sealed class SealSigner : IDisposable
{
    private readonly byte[]? _hmacKey;
    private readonly ECDsa? _ecdsa;

    private SealSigner(string algorithm, string keyId, byte[]? hmacKey, ECDsa? ecdsa, bool canSign)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        _hmacKey = hmacKey;
        _ecdsa = ecdsa;
        CanSign = canSign;
    }

    /// <summary>Gets the algorithm.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the key id.</summary>
    public string KeyId { get; }

    /// <summary>Gets a value indicating whether this key can sign (an ECDSA public key only verifies).</summary>
    public bool CanSign { get; }

    /// <summary>Creates the signer the options describe.</summary>
    /// <param name="options">The seal options.</param>
    /// <returns>The signer, or null when no key is configured.</returns>
    /// <exception cref="ArgumentException">The algorithm is unknown or the key malformed.</exception>
    public static SealSigner? Create(AuditSealOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.Equals(options.Algorithm, AuditSealOptions.Hmac, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.Key))
            {
                return null;
            }

            var key = Convert.FromBase64String(options.Key);
            if (key.Length < 32)
            {
                throw new ArgumentException($"{AuditOptions.SectionName}:Seal:Key must be base64 of at least 32 bytes.", nameof(options));
            }

            return new SealSigner(AuditSealOptions.Hmac, options.KeyId, key, null, canSign: true);
        }

        if (string.Equals(options.Algorithm, AuditSealOptions.Ecdsa, StringComparison.OrdinalIgnoreCase))
        {
            var pem = options.PrivateKeyPem ?? options.PublicKeyPem;
            if (string.IsNullOrWhiteSpace(pem))
            {
                return null;
            }

            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            if (ecdsa.KeySize != 256)
            {
                ecdsa.Dispose();
                throw new ArgumentException($"{AuditOptions.SectionName}:Seal: the ECDSA key must be on P-256.", nameof(options));
            }

            return new SealSigner(AuditSealOptions.Ecdsa, options.KeyId, null, ecdsa, canSign: !string.IsNullOrWhiteSpace(options.PrivateKeyPem));
        }

        throw new ArgumentException($"{AuditOptions.SectionName}:Seal:Algorithm '{options.Algorithm}' is not {AuditSealOptions.Hmac} or {AuditSealOptions.Ecdsa}.", nameof(options));
    }

    /// <summary>Signs a message.</summary>
    /// <param name="message">The canonical seal text (UTF-8).</param>
    /// <returns>The signature, base64.</returns>
    /// <exception cref="InvalidOperationException">The key only verifies.</exception>
    public string Sign(byte[] message)
    {
        if (!CanSign)
        {
            throw new InvalidOperationException("The configured seal key is an ECDSA public key: it verifies seals but cannot make them.");
        }

        return Convert.ToBase64String(_hmacKey is not null ? HMACSHA256.HashData(_hmacKey, message) : _ecdsa!.SignData(message, HashAlgorithmName.SHA256));
    }

    /// <summary>Checks a signature.</summary>
    /// <param name="message">The canonical seal text (UTF-8).</param>
    /// <param name="signature">The signature, base64.</param>
    /// <returns>True when valid.</returns>
    public bool Verify(byte[] message, string signature)
    {
        var bytes = new byte[signature?.Length ?? 0];
        if (signature is null || !Convert.TryFromBase64String(signature, bytes, out int length))
        {
            return false;
        }

        return _hmacKey is not null
            ? CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_hmacKey, message), bytes.AsSpan(0, length))
            : _ecdsa!.VerifyData(message, bytes.AsSpan(0, length), HashAlgorithmName.SHA256);
    }

    /// <inheritdoc/>
    public void Dispose() => _ecdsa?.Dispose();
}
