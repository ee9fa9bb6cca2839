using System.Globalization;
using System.Text.Json;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// Seals chain heads: for every partition whose head moved since its last seal, writes a signed
/// <see cref="AuditSeal"/> of the head's sequence number and hash (create-if-absent, so two sealers agree).
/// Run periodically by both hosts and by <c>deepseek audit seal</c>.
/// </summary>
public sealed class AuditSealer : IDisposable
{
    private readonly PipelineStorage _storage;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditSealer> _logger;
    private readonly SealSigner? _signer;

    /// <summary>Initializes the sealer with the configured key.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="options">The audit options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public AuditSealer(PipelineStorage storage, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditSealer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _signer = SealSigner.Create(_options.Seal);
    }

    /// <summary>Gets a value indicating whether a signing key is configured.</summary>
    public bool Enabled => _signer?.CanSign == true;

    /// <summary>Seals every head that moved since its last seal.</summary>
    /// <param name="all">True to look at every partition; false for those within <see cref="AuditOptions.SealLookback"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The seals written (none when no signing key is configured).</returns>
    public async Task<IReadOnlyList<AuditSeal>> SealAsync(bool all, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            PipelineLog.AuditSealingOff(_logger, $"{AuditOptions.SectionName}:Seal:Key or :PrivateKeyPem");
            return [];
        }

        var container = _storage.Layout.AuditLogContainer;
        var now = _time.GetUtcNow();
        var sealedNow = new List<AuditSeal>();
        foreach (var name in await _storage.ListAsync(container, StorageLayout.AuditHeadPrefix, cancellationToken).ConfigureAwait(false))
        {
            var partition = name[StorageLayout.AuditHeadPrefix.Length..^".json".Length];
            if (!all && AuditPartition.TryParseHour(partition, out var hour) && hour.AddHours(1) < now - _options.SealLookback)
            {
                continue;
            }

            var data = await _storage.TryReadAsync(container, name, cancellationToken).ConfigureAwait(false);
            var head = data is null ? null : JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.AuditHead);
            if (head is null || head.Seq <= await LastSealedAsync(partition, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var seal = new AuditSeal(partition, head.Seq, head.Hash, now, _signer!.Algorithm, _signer.KeyId, "");
            seal = seal with { Signature = _signer.Sign(seal.Message()) };
            if (await _storage.TryCreateAsync(container, StorageLayout.AuditSealBlob(partition, head.Seq),
                BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(seal, PipelineJsonContext.Default.AuditSeal)), cancellationToken).ConfigureAwait(false))
            {
                sealedNow.Add(seal);
                PipelineLog.AuditSealed(_logger, partition, head.Seq);
            }
        }

        return sealedNow;
    }

    /// <summary>Seals, logging instead of throwing a storage failure (for the periodic hosts).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task SealQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SealAsync(all: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A storage failure or a damaged head must not stop the host: verify reports damage, the next interval retries.
            PipelineLog.AuditSealFailed(_logger, ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _signer?.Dispose();

    private async Task<long> LastSealedAsync(string partition, CancellationToken ct)
    {
        var seals = await _storage.ListAsync(_storage.Layout.AuditLogContainer, StorageLayout.AuditSealPrefix(partition), ct).ConfigureAwait(false);
        return seals.Count == 0 ? 0 : long.Parse(seals[^1].AsSpan(seals[^1].LastIndexOf('/') + 1, 10), CultureInfo.InvariantCulture);
    }
}
