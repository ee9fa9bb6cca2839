using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// The one door of every audit write: appends a record to a hash chain, exactly once per key, safely under
/// concurrent writers and redelivered messages.
/// <para>
/// An append (1) reads the partition head with its ETag and finishes the head's own append if a crash left it
/// half done (record <c>{key}.json</c> in the audit container, then index entry <c>chain/{partition}/{seq}-{key}</c> in
/// the audit log container, both create-if-absent
/// with the bytes the head carries); (2) returns if <c>{key}.json</c> exists, since every record below the head is
/// written before the head moves past it, so the key is already chained; (3) builds the record with
/// <c>seq = head.seq + 1</c> and <c>prev = head.hash</c> and swaps the head to it with If-Match (If-None-Match: * for
/// the first record), starting over on a conflict; (4) writes the record and its index entry. The swap is the only
/// step that orders records, so there is never a fork or a gap; a crash anywhere leaves either nothing or a head
/// that the next append to the partition (or the retried stage) completes.
/// </para>
/// </summary>
public sealed class AuditLog(PipelineStorage storage, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditLog> logger)
{
    private const int MaxAttempts = 64;
    private readonly int _shards = options.Value.ChainShards;

    /// <summary>Gets the partition of a record from its time and key (<see cref="AuditPartition.For"/> with the configured shards).</summary>
    /// <param name="at">The record's time.</param>
    /// <param name="key">The record key.</param>
    /// <returns>The partition.</returns>
    public string Partition(DateTimeOffset at, string key) => AuditPartition.For(at, key, _shards);

    /// <summary>Appends a typed record (serialized with its source-generated JSON contract).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="partition">The chain partition (use <see cref="Partition"/>; it must be the same on every retry).</param>
    /// <param name="key">The record key: its blob name, unique among all audit records.</param>
    /// <param name="record">The record, with no <c>chain</c> or <c>hash</c> member.</param>
    /// <param name="type">Its JSON contract.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Where the record sits.</returns>
    public Task<AuditAppendResult> AppendAsync<T>(string partition, string key, T record, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        AppendAsync(partition, key, JsonSerializer.SerializeToUtf8Bytes(record, type), cancellationToken);

    /// <summary>Appends a record given as a JSON object.</summary>
    /// <param name="partition">The chain partition (it must be the same on every retry).</param>
    /// <param name="key">The record key (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>): its blob name, unique among all audit records.</param>
    /// <param name="payload">The record as one JSON object without <c>chain</c> or <c>hash</c> members.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Where the record sits; <see cref="AuditAppendResult.Appended"/> is false when the key was already recorded.</returns>
    /// <exception cref="ArgumentException">The key or payload is malformed.</exception>
    /// <exception cref="TimeoutException">The head stayed contended for every attempt (the stage retries the message).</exception>
    public async Task<AuditAppendResult> AppendAsync(string partition, string key, byte[] payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(partition);
        if (!Http.InferenceApi.IsValidId(key))
        {
            throw new ArgumentException($"'{key}' is not a valid audit record key.", nameof(key));
        }

        var log = storage.Layout.AuditLogContainer;
        var headBlob = StorageLayout.AuditHeadBlob(partition);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var read = await storage.TryReadVersionedAsync(log, headBlob, cancellationToken).ConfigureAwait(false);
            AuditHead? head = read is { } r ? JsonSerializer.Deserialize(r.Content.ToMemory().Span, PipelineJsonContext.Default.AuditHead) : null;
            if (head is not null)
            {
                await MaterializeAsync(head, cancellationToken).ConfigureAwait(false);
            }

            if (await storage.TryReadAsync(storage.Layout.AuditContainer, StorageLayout.AuditBlob(key), cancellationToken).ConfigureAwait(false) is { } existing)
            {
                var envelope = JsonSerializer.Deserialize(existing.ToMemory().Span, PipelineJsonContext.Default.AuditEnvelope);
                return new AuditAppendResult(envelope?.Chain, envelope?.Hash, false);
            }

            var link = new AuditChainLink(partition, (head?.Seq ?? 0) + 1, key, head?.Hash ?? AuditRecordFormat.Genesis);
            var stored = AuditRecordFormat.Seal(payload, link, out var hash);
            var next = new AuditHead(partition, link.Seq, hash, key, stored, time.GetUtcNow());
            var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(next, PipelineJsonContext.Default.AuditHead));
            if (await storage.TryReplaceAsync(log, headBlob, content, read?.ETag, cancellationToken).ConfigureAwait(false))
            {
                await MaterializeAsync(next, cancellationToken).ConfigureAwait(false);
                PipelineLog.AuditAppended(logger, key, partition, link.Seq);
                return new AuditAppendResult(link, hash, true);
            }

            PipelineLog.AuditHeadContended(logger, partition, attempt + 1);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, 5 << Math.Min(attempt, 6)) * (0.5 + Random.Shared.NextDouble())), time, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"The audit chain head of partition {partition} stayed contended for {MaxAttempts} attempts; raise {AuditOptions.SectionName}:{nameof(AuditOptions.ChainShards)}.");
    }

    /// <summary>Writes what a head says is appended (idempotent: both writes are create-if-absent with the same bytes).</summary>
    /// <param name="head">The head.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    internal async Task MaterializeAsync(AuditHead head, CancellationToken cancellationToken)
    {
        var log = storage.Layout.AuditLogContainer;
        var entry = StorageLayout.AuditChainEntry(head.Partition, head.Seq, head.Key);
        // The entry is written last, so its presence means the append is complete (one read instead of two failed creates).
        if (await storage.ExistsAsync(log, entry, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await storage.TryCreateAsync(storage.Layout.AuditContainer, StorageLayout.AuditBlob(head.Key), BinaryData.FromBytes(head.Record), cancellationToken).ConfigureAwait(false);
        await storage.TryCreateAsync(log, entry, BinaryData.Empty, cancellationToken).ConfigureAwait(false);
    }
}
