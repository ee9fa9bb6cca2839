namespace DeepSeek.Moe.Routing;

/// <summary>
/// Counter-based Gumbel(0, 1) noise: each draw is a pure function of (seed, row, expert), so a
/// recorded seed replays the same routing on any machine, thread count or row order.
/// </summary>
public static class GumbelNoise
{
    private const double TwoPowMinus53 = 1.0 / (1UL << 53);

    /// <summary>Draws the Gumbel noise for one (seed, row, expert) key.</summary>
    /// <param name="seed">The request seed.</param>
    /// <param name="row">The row index within the request.</param>
    /// <param name="expert">The expert index.</param>
    /// <returns><c>-ln(-ln(u))</c> for a uniform <c>u</c> in (0, 1) derived from the key.</returns>
    public static double Sample(ulong seed, long row, int expert)
    {
        double u = Uniform(seed, row, expert);
        return -Math.Log(-Math.Log(u));
    }

    /// <summary>The uniform variate in the open interval (0, 1) for a key.</summary>
    /// <param name="seed">The request seed.</param>
    /// <param name="row">The row index within the request.</param>
    /// <param name="expert">The expert index.</param>
    /// <returns>A value strictly between 0 and 1.</returns>
    public static double Uniform(ulong seed, long row, int expert)
    {
        ulong h = Mix(seed);
        h = Mix(h ^ (ulong)row);
        h = Mix(h ^ (uint)expert);
        return ((h >> 11) + 0.5) * TwoPowMinus53;
    }

    // SplitMix64's increment and finalizer: a bijective mix with full avalanche.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
