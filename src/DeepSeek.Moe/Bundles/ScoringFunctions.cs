namespace DeepSeek.Moe.Bundles;

/// <summary>Names of the gate scoring functions.</summary>
public static class ScoringFunctions
{
    /// <summary>Softmax over all experts.</summary>
    public const string Softmax = "softmax";

    /// <summary>Independent sigmoid per expert.</summary>
    public const string Sigmoid = "sigmoid";
}
