namespace DeepSeek.Pipeline.Audit;

/// <summary>How seals are signed (section <c>Audit:Seal</c>). Without a key the hosts do not seal, and verify says so.</summary>
public sealed class AuditSealOptions
{
    /// <summary>HMAC-SHA256 with a shared secret: whoever verifies can also sign.</summary>
    public const string Hmac = "HMAC-SHA256";

    /// <summary>ECDSA on P-256 with SHA-256: the hosts hold the private key, auditors only the public key.</summary>
    public const string Ecdsa = "ECDSA-P256-SHA256";

    /// <summary>Gets or sets the algorithm, <see cref="Hmac"/> or <see cref="Ecdsa"/>. <value>Defaults to <see cref="Hmac"/>.</value></summary>
    public string Algorithm { get; set; } = Hmac;

    /// <summary>Gets or sets the HMAC secret, base64 of at least 32 bytes. <value>Defaults to none.</value></summary>
    public string? Key { get; set; }

    /// <summary>Gets or sets the ECDSA P-256 private key, PEM (signing; also verifies). <value>Defaults to none.</value></summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Gets or sets the ECDSA P-256 public key, PEM (verifying only). <value>Defaults to none.</value></summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>Gets or sets the key id written into each seal, so keys can be rotated. <value>Defaults to <c>k1</c>.</value></summary>
    public string KeyId { get; set; } = "k1";
}
