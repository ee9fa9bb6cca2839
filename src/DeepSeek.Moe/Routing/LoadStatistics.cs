namespace DeepSeek.Moe.Routing;

/// <summary>Expert load: activations per expert and balancedness = mean load / max load (1.0 is perfectly even).</summary>
/// <param name="Activations">Activations per expert.</param>
public sealed record LoadStatistics(IReadOnlyList<long> Activations)
{
    /// <summary>Gets the balancedness, mean load / max load, in (0, 1]; 1 when nothing was routed.</summary>
    public double Balancedness
    {
        get
        {
            long max = Activations.Count == 0 ? 0 : Activations.Max();
            return max == 0 ? 1.0 : Activations.Average() / max;
        }
    }

    /// <summary>Gets the total number of activations.</summary>
    public long Total => Activations.Sum();

    /// <summary>Counts activations from chosen expert indices.</summary>
    /// <param name="indices">Chosen expert indices of any number of rows.</param>
    /// <param name="experts">The number of experts.</param>
    /// <returns>The statistics.</returns>
    public static LoadStatistics FromIndices(ReadOnlySpan<int> indices, int experts)
    {
        var counts = new long[experts];
        foreach (var e in indices)
        {
            counts[e]++;
        }

        return new LoadStatistics(counts);
    }

    /// <summary>Adds two statistics over the same experts.</summary>
    /// <param name="other">The other statistics.</param>
    /// <returns>The element-wise sum.</returns>
    public LoadStatistics Add(LoadStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Activations.Count != Activations.Count)
        {
            throw new ArgumentException($"Expert counts differ: {Activations.Count} and {other.Activations.Count}.", nameof(other));
        }

        return new LoadStatistics(Activations.Zip(other.Activations, (a, b) => a + b).ToArray());
    }
}
