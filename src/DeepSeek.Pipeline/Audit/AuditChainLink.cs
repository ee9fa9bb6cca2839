namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// Where a record sits in its chain: the <c>"chain"</c> member of every schema-2 record, covered by the record's hash.
/// </summary>
/// <param name="Partition">The chain partition (<c>yyyyMMddTHH-{shard}</c>, see <see cref="AuditPartition"/>).</param>
/// <param name="Seq">The 1-based position in the partition.</param>
/// <param name="Key">The record key (a request id, or the id of another kind of record), also its blob name.</param>
/// <param name="Prev">The hash of the record at <c>Seq - 1</c>; <see cref="AuditRecordFormat.Genesis"/> for the first.</param>
public sealed record AuditChainLink(string Partition, long Seq, string Key, string Prev);
