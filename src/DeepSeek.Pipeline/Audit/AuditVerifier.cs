using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// Checks the audit log: in every partition, that the chain index runs 1..N without gaps, that each record's bytes
/// hash to its stated hash (altered), that it names the place it sits in (reordered), that it carries the hash of
/// the record before it (rewritten or removed), that a kept input matches its hash, that the head agrees with the
/// last record, and that every seal is genuine and matches the chain (truncated or rewritten).
/// </summary>
public sealed class AuditVerifier(PipelineStorage storage, SealSigner? signer)
{
    /// <summary>Verifies every partition whose hour overlaps [from, to].</summary>
    /// <param name="from">The earliest time, or null.</param>
    /// <param name="to">The latest time, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    public async Task<AuditVerifyReport> VerifyAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var container = storage.Layout.AuditLogContainer;
        var report = new AuditVerifyReport();
        var entries = new SortedDictionary<string, List<(long Seq, string Key)>>(StringComparer.Ordinal);
        foreach (var name in await storage.ListAsync(container, StorageLayout.AuditChainPrefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = name[StorageLayout.AuditChainPrefix.Length..];
            int slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || rest.Length < slash + 12 || rest[slash + 11] != '-'
                || !long.TryParse(rest.AsSpan(slash + 1, 10), NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
            {
                report.Findings.Add(new AuditFinding("altered", slash < 0 ? rest : rest[..slash], null, null, $"'{name}' is not a chain index entry"));
                continue;
            }

            var partition = rest[..slash];
            if (!entries.TryGetValue(partition, out var list))
            {
                entries[partition] = list = [];
            }

            list.Add((seq, rest[(slash + 12)..]));
        }

        var heads = (await storage.ListAsync(container, StorageLayout.AuditHeadPrefix, cancellationToken).ConfigureAwait(false))
            .Select(n => n[StorageLayout.AuditHeadPrefix.Length..^".json".Length]);
        var partitions = entries.Keys.Concat(heads).Distinct().Where(p => InRange(p, from, to)).Order(StringComparer.Ordinal).ToList();
        foreach (var partition in partitions)
        {
            await VerifyPartitionAsync(partition, entries.GetValueOrDefault(partition) ?? [], report, cancellationToken).ConfigureAwait(false);
            report.Partitions++;
        }

        if (signer is null)
        {
            report.Notes.Add("No seal key is configured: seal signatures were not checked (hashes were).");
        }

        if (from is null && to is null)
        {
            await NoteUnchainedAsync(entries, report, cancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    private static bool InRange(string partition, DateTimeOffset? from, DateTimeOffset? to) =>
        !AuditPartition.TryParseHour(partition, out var hour) || ((from is null || hour.AddHours(1) > from) && (to is null || hour <= to));

    private async Task VerifyPartitionAsync(string partition, List<(long Seq, string Key)> index, AuditVerifyReport report, CancellationToken ct)
    {
        var hashes = new Dictionary<long, string>();
        string? expectedPrev = AuditRecordFormat.Genesis;
        long next = 1;
        foreach (var (seq, key) in index.OrderBy(e => e.Seq))
        {
            if (seq < next)
            {
                report.Findings.Add(new AuditFinding("reordered", partition, seq, key, $"a second index entry claims #{seq}"));
                continue;
            }

            for (; next < seq; next++)
            {
                report.Findings.Add(new AuditFinding("removed", partition, next, null, "this place is missing from the chain index (its record was removed)"));
                expectedPrev = null;
            }

            var data = await storage.TryReadAsync(storage.Layout.AuditContainer, StorageLayout.AuditBlob(key), ct).ConfigureAwait(false);
            next = seq + 1;
            if (data is null)
            {
                report.Findings.Add(new AuditFinding("removed", partition, seq, key, "the record is missing"));
                expectedPrev = null;
                continue;
            }

            report.Records++;
            expectedPrev = await CheckRecordAsync(partition, seq, key, data.ToArray(), expectedPrev, hashes, report, ct).ConfigureAwait(false);
        }

        await CheckHeadAsync(partition, next - 1, expectedPrev, hashes, report, ct).ConfigureAwait(false);
        await CheckSealsAsync(partition, hashes, report, ct).ConfigureAwait(false);
    }

    // Returns the hash the next record must carry as prev, or null when it cannot be known (no cascade of findings).
    private async Task<string?> CheckRecordAsync(string partition, long seq, string key, byte[] data, string? expectedPrev,
        Dictionary<long, string> hashes, AuditVerifyReport report, CancellationToken ct)
    {
        bool valid = AuditRecordFormat.TryCheck(data, out var claimed, out var computed);
        AuditEnvelope? envelope = null;
        try
        {
            envelope = JsonSerializer.Deserialize(data, PipelineJsonContext.Default.AuditEnvelope);
        }
        catch (JsonException)
        {
            valid = false;
        }

        if (!valid || envelope?.Chain is not { } link)
        {
            report.Findings.Add(new AuditFinding("altered", partition, seq, key, claimed is null
                ? "the record no longer ends in its hash (its bytes were changed)"
                : $"its bytes hash to {computed}, not to its stated hash {claimed}"));
            // The next record's prev is the hash this record had when it was chained, which its hash member still states.
            if (claimed is not null)
            {
                hashes[seq] = claimed;
            }

            return claimed;
        }

        hashes[seq] = computed!;
        if (link.Partition != partition || link.Seq != seq || link.Key != key)
        {
            report.Findings.Add(new AuditFinding("reordered", partition, seq, key,
                $"this place holds the record of {link.Partition} #{link.Seq} ({link.Key})"));
            return null;
        }

        if (expectedPrev is not null && link.Prev != expectedPrev)
        {
            report.Findings.Add(new AuditFinding("altered", partition, seq - 1, null,
                $"the record before #{seq} was rewritten or replaced: #{seq} recorded its hash as {link.Prev}, it is now {expectedPrev}"));
        }

        if (envelope.Input is { Blob: { } blob, BlobSha256: { } sha })
        {
            var input = await storage.TryReadAsync(storage.Layout.AuditLogContainer, blob, ct).ConfigureAwait(false);
            if (input is null)
            {
                report.Findings.Add(new AuditFinding("removed", partition, seq, key, $"its kept input {blob} is missing"));
            }
            else if (Convert.ToHexStringLower(SHA256.HashData(input.ToMemory().Span)) != sha)
            {
                report.Findings.Add(new AuditFinding("altered", partition, seq, key, $"its kept input {blob} does not match the hash the record states"));
            }
        }

        return computed;
    }

    private async Task CheckHeadAsync(string partition, long last, string? expectedPrev, Dictionary<long, string> hashes, AuditVerifyReport report, CancellationToken ct)
    {
        var data = await storage.TryReadAsync(storage.Layout.AuditLogContainer, StorageLayout.AuditHeadBlob(partition), ct).ConfigureAwait(false);
        var head = data is null ? null : JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.AuditHead);
        if (head is null)
        {
            report.Findings.Add(new AuditFinding("removed", partition, null, null, "the partition's head is missing"));
            return;
        }

        if (head.Seq == last + 1)
        {
            // An append that stopped after moving the head: the head itself holds the record, the next append writes it out.
            bool ok = AuditRecordFormat.TryCheck(head.Record, out _, out var computed) && computed == head.Hash
                && JsonSerializer.Deserialize(head.Record, PipelineJsonContext.Default.AuditEnvelope)?.Chain is { } link
                && link.Seq == head.Seq && link.Key == head.Key && (expectedPrev is null || link.Prev == expectedPrev);
            if (ok)
            {
                hashes[head.Seq] = head.Hash;
                report.Records++;
                report.Notes.Add($"{partition} #{head.Seq} ({head.Key}) is held by the head and not yet written out (an append in progress or interrupted; the next append completes it).");
            }
            else
            {
                report.Findings.Add(new AuditFinding("altered", partition, head.Seq, head.Key, "the head's pending record does not match its hash or does not follow the chain"));
            }
        }
        else if (head.Seq > last + 1)
        {
            report.Findings.Add(new AuditFinding("removed", partition, last + 1, null, $"the head is at #{head.Seq} but the chain ends at #{last}: records #{last + 1} to #{head.Seq - 1} were removed"));
        }
        else if (head.Seq < last || (hashes.TryGetValue(head.Seq, out var atHead) && atHead != head.Hash))
        {
            report.Findings.Add(new AuditFinding("altered", partition, head.Seq, head.Key, "the head does not match the chain (rolled back or rewritten)"));
        }
    }

    private async Task CheckSealsAsync(string partition, Dictionary<long, string> hashes, AuditVerifyReport report, CancellationToken ct)
    {
        var container = storage.Layout.AuditLogContainer;
        long end = hashes.Count == 0 ? 0 : hashes.Keys.Max();
        foreach (var name in await storage.ListAsync(container, StorageLayout.AuditSealPrefix(partition), ct).ConfigureAwait(false))
        {
            var data = await storage.TryReadAsync(container, name, ct).ConfigureAwait(false);
            AuditSeal? seal = null;
            try
            {
                seal = data is null ? null : JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.AuditSeal);
            }
            catch (JsonException)
            {
            }

            if (seal is null || seal.Partition != partition)
            {
                report.Findings.Add(new AuditFinding("seal", partition, null, null, $"{name} is not a seal of this partition"));
                continue;
            }

            if (signer is not null && (seal.KeyId != signer.KeyId || !signer.Verify(seal.Message(), seal.Signature)))
            {
                report.Findings.Add(new AuditFinding("seal", partition, seal.Seq, null, seal.KeyId != signer.KeyId
                    ? $"the seal is signed with key '{seal.KeyId}', not the configured '{signer.KeyId}'"
                    : "the seal's signature is not valid (forged or altered)"));
                continue;
            }

            report.Seals++;
            if (seal.Seq > end)
            {
                report.Findings.Add(new AuditFinding("truncated", partition, end + 1, null, $"the chain was sealed at #{seal.Seq} but ends at #{end}: its tail was removed"));
            }
            else if (hashes.TryGetValue(seal.Seq, out var hash) && hash != seal.Hash)
            {
                report.Findings.Add(new AuditFinding("altered", partition, seal.Seq, null, "the record differs from the one sealed at this place"));
            }
        }
    }

    private async Task NoteUnchainedAsync(SortedDictionary<string, List<(long Seq, string Key)>> entries, AuditVerifyReport report, CancellationToken ct)
    {
        var chained = entries.Values.SelectMany(l => l.Select(e => e.Key)).ToHashSet(StringComparer.Ordinal);
        int legacy = 0;
        foreach (var name in await storage.ListAsync(storage.Layout.AuditContainer, "", ct).ConfigureAwait(false))
        {
            if (name.Contains('/', StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal) || chained.Contains(name[..^5]))
            {
                continue;
            }

            var data = await storage.TryReadAsync(storage.Layout.AuditContainer, name, ct).ConfigureAwait(false);
            try
            {
                if (data is not null && JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.AuditEnvelope) is { SchemaVersion: < 2 })
                {
                    legacy++;
                }
            }
            catch (JsonException)
            {
                // Not chained and not readable: a removed index entry already shows as a gap in its partition.
            }
        }

        if (legacy > 0)
        {
            report.Notes.Add($"{legacy} schema-1 records predate the chain: they are not covered by it.");
        }
    }
}
