namespace DeepSeek.Pipeline.Privacy;

/// <summary>A noise distribution.</summary>
public enum NoiseKind
{
    /// <summary>Laplace with scale b (mean |x| = b, standard deviation sqrt(2) b).</summary>
    Laplace,

    /// <summary>Gaussian with standard deviation sigma.</summary>
    Gaussian,
}
