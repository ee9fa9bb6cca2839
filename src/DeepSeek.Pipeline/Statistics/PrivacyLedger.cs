namespace DeepSeek.Pipeline.Statistics;

/// <summary>A period's privacy budget (<c>stats/ledger/{period}.json</c>), changed only by compare-and-swap so concurrent releases cannot overspend.</summary>
/// <param name="Period">The period.</param>
/// <param name="Total">The budget at the last release.</param>
/// <param name="Spent">The epsilon spent.</param>
/// <param name="Releases">Every release, in order.</param>
public sealed record PrivacyLedger(string Period, double Total, double Spent, LedgerEntry[] Releases);
