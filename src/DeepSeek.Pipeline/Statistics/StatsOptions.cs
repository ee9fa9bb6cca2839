using System.ComponentModel.DataAnnotations;

namespace DeepSeek.Pipeline.Statistics;

/// <summary>Differentially private usage statistics (section <c>Stats</c>).</summary>
public sealed class StatsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Stats";

    /// <summary>Gets or sets the epsilon of a release when the caller names none. <value>Defaults to 0.5 (the source design).</value></summary>
    [Range(1e-6, 100)]
    public double Epsilon { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the privacy budget of one period (a UTC day): releases about the same day compose, so their
    /// epsilons add up, and the ledger refuses a release that would pass this total. Days are disjoint, so each has its own budget.
    /// <value>Defaults to 2.0 (four releases at 0.5).</value>
    /// </summary>
    [Range(1e-6, 1000)]
    public double TotalEpsilonPerPeriod { get; set; } = 2.0;

    /// <summary>
    /// Gets or sets the most experts one request counts toward (those that ran on most of its rows, shared experts
    /// first, ties to the lower index). It bounds the sensitivity: one request changes its model's request count by 1
    /// and at most this many expert counts by 1, so the L1 sensitivity of a release is 1 + this. <value>Defaults to 4.</value>
    /// </summary>
    [Range(1, 4096)]
    public int ExpertClip { get; set; } = 4;

    /// <summary>Gets or sets the mechanism. <value>Defaults to <see cref="DpMechanism.DiscreteLaplace"/>.</value></summary>
    public DpMechanism Mechanism { get; set; } = DpMechanism.DiscreteLaplace;
}
