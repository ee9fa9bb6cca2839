namespace DeepSeek.Moe.Bundles;

/// <summary>How the gate turns logits into a top-k expert choice and weights.</summary>
public sealed record RoutingSettings
{
    /// <summary>Gets the scoring function: <c>softmax</c> or <c>sigmoid</c>. <value>Defaults to <c>softmax</c>.</value></summary>
    public string Scoring { get; init; } = ScoringFunctions.Softmax;

    /// <summary>Gets the temperature dividing the (noised) logits before scoring. <value>Defaults to 1.</value></summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Gets how many routed experts each row activates.</summary>
    public required int TopK { get; init; }

    /// <summary>Gets whether the top-k weights are divided by their sum. <value>Defaults to false.</value></summary>
    public bool Renormalize { get; init; }

    /// <summary>Gets the factor multiplying the final weights (DeepSeek <c>routed_scaling_factor</c>). <value>Defaults to 1.</value></summary>
    public float RoutedScalingFactor { get; init; } = 1f;

    /// <summary>Gets the number of expert groups for group-limited routing. <value>Defaults to 1 (no groups).</value></summary>
    public int NGroup { get; init; } = 1;

    /// <summary>Gets how many groups a row may choose experts from. <value>Defaults to 1.</value></summary>
    public int TopkGroup { get; init; } = 1;

    /// <summary>Gets how a group is scored: <c>max</c> (DeepSeek-V2) or <c>top2-sum</c> (DeepSeek-V3). <value>Defaults to <c>max</c>.</value></summary>
    public string GroupScore { get; init; } = GroupScoring.Max;

    /// <summary>Gets the per-expert bias added to scores for selection only (DeepSeek-V3 <c>e_score_correction_bias</c>). <value>Defaults to none.</value></summary>
    public IReadOnlyList<float>? CorrectionBias { get; init; }

    /// <summary>Gets whether Gumbel noise keyed by (seed, row, expert) is added to the logits. <value>Defaults to false.</value></summary>
    public bool GumbelNoise { get; init; }
}
