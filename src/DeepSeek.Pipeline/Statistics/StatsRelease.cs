namespace DeepSeek.Pipeline.Statistics;

/// <summary>One published, differentially private release of a period's usage (<c>stats/releases/{period}/{id}.json</c>).</summary>
public sealed record StatsRelease
{
    /// <summary>Gets the period (a UTC day, <c>yyyy-MM-dd</c>).</summary>
    public required string Period { get; init; }

    /// <summary>Gets the release id.</summary>
    public required string ReleaseId { get; init; }

    /// <summary>Gets when it was released.</summary>
    public required DateTimeOffset ReleasedAt { get; init; }

    /// <summary>Gets the epsilon this release spent.</summary>
    public required double Epsilon { get; init; }

    /// <summary>Gets the mechanism (<c>discrete-laplace</c> or <c>laplace</c>).</summary>
    public required string Mechanism { get; init; }

    /// <summary>Gets the L1 sensitivity: 1 + <see cref="ExpertClip"/>.</summary>
    public required int Sensitivity { get; init; }

    /// <summary>Gets the noise scale, sensitivity / epsilon.</summary>
    public required double Scale { get; init; }

    /// <summary>Gets the most experts one request counted toward.</summary>
    public required int ExpertClip { get; init; }

    /// <summary>Gets the noisy counts per model served (every model and expert is listed, used or not).</summary>
    public required SortedDictionary<string, ModelUsage> Models { get; init; }

    /// <summary>Gets the period's budget spent, this release included.</summary>
    public required double BudgetSpent { get; init; }

    /// <summary>Gets the period's total budget.</summary>
    public required double BudgetTotal { get; init; }
}
