using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DeepSeek.Pipeline.Privacy;

/// <summary>
/// Noise for differential privacy and noised inputs, drawn from the operating system's cryptographic generator
/// (<see cref="RandomNumberGenerator"/>): a seeded or predictable generator would let an observer subtract the noise.
/// </summary>
public static class NoiseSampler
{
    private const double TwoTo53 = 9007199254740992.0;

    /// <summary>Draws a uniform value strictly inside (0, 1) from 53 random bits.</summary>
    /// <returns>The value.</returns>
    public static double Uniform()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        ulong k = BinaryPrimitives.ReadUInt64LittleEndian(bytes) >> 11;
        return (k + 0.5) / TwoTo53;
    }

    /// <summary>Draws from the Laplace distribution with scale <paramref name="scale"/> (mean |x| = b, variance 2 b²).</summary>
    /// <param name="scale">The scale b, positive.</param>
    /// <returns>The noise.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not positive.</exception>
    public static double Laplace(double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        // Two independent exponentials: their difference is Laplace, and no branch depends on the sign.
        return scale * (Math.Log(Uniform()) - Math.Log(Uniform()));
    }

    /// <summary>
    /// Draws from the discrete Laplace (two-sided geometric) distribution on the integers, P(k) proportional to
    /// exp(-|k| / <paramref name="scale"/>): the difference of two geometric variables with success probability
    /// 1 - exp(-1/scale). Integer noise on integer counts leaves no floating-point residue to exploit.
    /// </summary>
    /// <param name="scale">The scale t = sensitivity / epsilon, positive.</param>
    /// <returns>The noise.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not positive.</exception>
    public static long DiscreteLaplace(double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        return Geometric(scale) - Geometric(scale);
    }

    /// <summary>Draws from the normal distribution with mean 0 and standard deviation <paramref name="sigma"/> (Box-Muller).</summary>
    /// <param name="sigma">The standard deviation, positive.</param>
    /// <returns>The noise.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Sigma is not positive.</exception>
    public static double Gaussian(double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        return sigma * Math.Sqrt(-2 * Math.Log(Uniform())) * Math.Cos(2 * Math.PI * Uniform());
    }

    /// <summary>Draws noise of a kind.</summary>
    /// <param name="kind">The distribution.</param>
    /// <param name="scale">Its scale (Laplace b, or Gaussian sigma).</param>
    /// <returns>The noise.</returns>
    public static double Draw(NoiseKind kind, double scale) => kind == NoiseKind.Gaussian ? Gaussian(scale) : Laplace(scale);

    // Inversion: P(G >= k) = exp(-k / scale), so G = floor(-scale * ln U).
    private static long Geometric(double scale) => (long)Math.Floor(-scale * Math.Log(Uniform()));
}
