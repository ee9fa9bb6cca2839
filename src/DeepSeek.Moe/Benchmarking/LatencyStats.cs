namespace DeepSeek.Moe.Benchmarking;

/// <summary>Percentiles of a set of latencies, in milliseconds.</summary>
/// <param name="Count">The number of samples.</param>
/// <param name="P50">The median.</param>
/// <param name="P99">The 99th percentile (nearest rank).</param>
/// <param name="Mean">The mean.</param>
public sealed record LatencyStats(int Count, double P50, double P99, double Mean)
{
    /// <summary>Summarizes samples.</summary>
    /// <param name="milliseconds">The latencies.</param>
    /// <returns>The percentiles (zeros when there are none).</returns>
    public static LatencyStats Of(IReadOnlyList<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        var sorted = milliseconds.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LatencyStats(sorted.Length, At(0.50), At(0.99), sorted.Length == 0 ? 0 : sorted.Average());
    }
}
