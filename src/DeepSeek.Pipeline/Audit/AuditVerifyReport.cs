namespace DeepSeek.Pipeline.Audit;

/// <summary>The outcome of verifying the audit log.</summary>
public sealed class AuditVerifyReport
{
    /// <summary>Gets or sets the number of partitions checked.</summary>
    public int Partitions { get; set; }

    /// <summary>Gets or sets the number of chained records checked.</summary>
    public long Records { get; set; }

    /// <summary>Gets or sets the number of seals whose signature and hash were checked.</summary>
    public int Seals { get; set; }

    /// <summary>Gets what is wrong, in chain order (partition, then sequence number): the first is the first altered, removed or reordered record.</summary>
    public List<AuditFinding> Findings { get; } = [];

    /// <summary>Gets remarks that are not tampering (a pending append, unchecked seals, schema-1 records).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Gets a value indicating whether nothing is wrong.</summary>
    public bool Intact => Findings.Count == 0;
}
