namespace DeepSeek.Pipeline.Audit;

/// <summary>One thing <see cref="AuditVerifier"/> found wrong.</summary>
/// <param name="Kind"><c>altered</c>, <c>removed</c>, <c>reordered</c>, <c>truncated</c> or <c>seal</c>.</param>
/// <param name="Partition">The chain partition.</param>
/// <param name="Seq">The sequence number concerned, where there is one.</param>
/// <param name="Key">The record key concerned, where known.</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record AuditFinding(string Kind, string Partition, long? Seq, string? Key, string Message)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind}: {Partition}{(Seq is { } s ? $" #{s}" : "")}{(Key is null ? "" : $" ({Key})")}: {Message}";
}
