namespace DeepSeek.Pipeline.Statistics;

/// <summary>The noise mechanism of a release; both are epsilon-differentially private at scale sensitivity / epsilon.</summary>
public enum DpMechanism
{
    /// <summary>Integer noise, P(k) proportional to exp(-epsilon |k| / sensitivity): counts stay integers.</summary>
    DiscreteLaplace,

    /// <summary>Continuous Laplace noise with scale b = sensitivity / epsilon.</summary>
    Laplace,
}
