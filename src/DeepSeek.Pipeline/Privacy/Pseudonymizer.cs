using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Privacy;

/// <summary>
/// Keyed pseudonyms: <c>pii:{kind}:{first 16 hex of HMAC-SHA256(key, kind NUL value)}</c>. The same value of the same
/// kind always gives the same pseudonym under one key, so records stay linkable, but nobody without the key can
/// recover the value or test a guess. Thread-safe; a DI singleton.
/// </summary>
public sealed class Pseudonymizer
{
    /// <summary>The start of every pseudonym.</summary>
    public const string Prefix = "pii:";

    private readonly byte[] _key;

    /// <summary>Initializes the pseudonymizer with the configured key, or a random one (logged as a warning).</summary>
    /// <param name="options">The privacy options.</param>
    /// <param name="logger">The logger.</param>
    public Pseudonymizer(IOptions<PrivacyOptions> options, ILogger<Pseudonymizer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Value.PseudonymKey))
        {
            _key = RandomNumberGenerator.GetBytes(32);
            PipelineLog.EphemeralPseudonymKey(logger, $"{PrivacyOptions.SectionName}:{nameof(PrivacyOptions.PseudonymKey)}");
        }
        else
        {
            _key = Convert.FromBase64String(options.Value.PseudonymKey);
        }
    }

    /// <summary>Gets the pseudonym of a value.</summary>
    /// <param name="kind">The kind (<c>email</c>, <c>caller</c>, ...), part of the pseudonym and of the keyed input.</param>
    /// <param name="value">The value, normalized by the caller (for example a lowercase email).</param>
    /// <returns><c>pii:{kind}:{16 hex}</c>.</returns>
    public string Pseudonym(string kind, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(value);
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(kind + "\0" + value));
        return Prefix + kind + ":" + Convert.ToHexStringLower(mac.AsSpan(0, 8));
    }

    /// <summary>
    /// Gets the pseudonym of a caller id (the one call every stored or logged caller goes through): ids are compared
    /// exactly, so <c>Alice</c> and <c>alice</c> differ.
    /// </summary>
    /// <param name="caller">The caller as authenticated, or null.</param>
    /// <returns><c>pii:caller:{16 hex}</c>, or null for null.</returns>
    public string? Caller(string? caller) => caller is null ? null : Pseudonym("caller", caller);
}
