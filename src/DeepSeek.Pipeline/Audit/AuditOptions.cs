using System.ComponentModel.DataAnnotations;

namespace DeepSeek.Pipeline.Audit;

/// <summary>The tamper-evident audit log (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Audit";

    /// <summary>
    /// Gets or sets the number of chains per hour. Appends to one chain are serialized by compare-and-swap on its
    /// head, so more shards allow more concurrent aggregators. <value>Defaults to 1.</value>
    /// </summary>
    [Range(1, 64)]
    public int ChainShards { get; set; } = 1;

    /// <summary>Gets or sets how often the hosts seal the chain heads. <value>Defaults to 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how far back the periodic sealer looks for heads that moved (a late append to an older hour is
    /// sealed if its hour is within this window; <c>deepseek audit seal --all</c> seals every partition). <value>Defaults to 48 hours.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan SealLookback { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Gets the seal signing settings.</summary>
    public AuditSealOptions Seal { get; } = new();
}
