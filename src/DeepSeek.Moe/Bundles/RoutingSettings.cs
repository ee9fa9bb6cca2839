namespace DeepSeek.Moe.Bundles;

/// <summary>
/// How the gate turns logits into a top-k expert choice and weights. Properties with a default are settable, not
/// init-only: source-generated JSON would set an init-only property left out of a hand-written <c>moe.json</c> to
/// zero or null instead of its default.
/// </summary>
public sealed record RoutingSettings
{
    /// <summary>Gets or sets the scoring function: <c>softmax</c> or <c>sigmoid</c>. <value>Defaults to <c>softmax</c>.</value></summary>
    public string Scoring { get; set; } = ScoringFunctions.Softmax;

    /// <summary>Gets or sets the temperature dividing the (noised) logits before scoring. <value>Defaults to 1.</value></summary>
    public float Temperature { get; set; } = 1f;

    /// <summary>Gets how many routed experts each row activates.</summary>
    public required int TopK { get; init; }

    /// <summary>Gets whether the top-k weights are divided by their sum. <value>Defaults to false.</value></summary>
    public bool Renormalize { get; init; }

    /// <summary>Gets or sets the factor multiplying the final weights (DeepSeek <c>routed_scaling_factor</c>). <value>Defaults to 1.</value></summary>
    public float RoutedScalingFactor { get; set; } = 1f;

    /// <summary>Gets or sets the number of expert groups for group-limited routing. <value>Defaults to 1 (no groups).</value></summary>
    public int NGroup { get; set; } = 1;

    /// <summary>Gets how many groups a row may choose experts from. <value>Defaults to 1.</value></summary>
    public int TopkGroup { get; set; } = 1;

    /// <summary>Gets how a group is scored: <c>max</c> (DeepSeek-V2) or <c>top2-sum</c> (DeepSeek-V3). <value>Defaults to <c>max</c>.</value></summary>
    public string GroupScore { get; set; } = GroupScoring.Max;

    /// <summary>Gets the per-expert bias added to scores for selection only (DeepSeek-V3 <c>e_score_correction_bias</c>). <value>Defaults to none.</value></summary>
    public IReadOnlyList<float>? CorrectionBias { get; init; }

    /// <summary>Gets whether Gumbel noise keyed by (seed, row, expert) is added to the logits. <value>Defaults to false.</value></summary>
    public bool GumbelNoise { get; init; }
}
