namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// The head of a chain partition (<c>heads/{partition}.json</c>), replaced only by compare-and-swap (If-Match): the
/// single point where appends are ordered. It carries the last record's stored bytes, so whoever reads it can finish
/// an append that crashed after the swap (write the record and its index entry, both create-if-absent).
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Seq">The last sequence number.</param>
/// <param name="Hash">The last record's hash.</param>
/// <param name="Key">The last record's key.</param>
/// <param name="Record">The last record, exactly as stored.</param>
/// <param name="UpdatedAt">When the head moved.</param>
public sealed record AuditHead(string Partition, long Seq, string Hash, string Key, byte[] Record, DateTimeOffset UpdatedAt);
