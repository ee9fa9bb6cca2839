namespace DeepSeek.Moe.Bundles;

/// <summary>Names of the group scoring rules of group-limited routing.</summary>
public static class GroupScoring
{
    /// <summary>A group scores its best expert (DeepSeek-V2 <c>group_limited_greedy</c>).</summary>
    public const string Max = "max";

    /// <summary>A group scores the sum of its two best experts (DeepSeek-V3 <c>noaux_tc</c>).</summary>
    public const string Top2Sum = "top2-sum";
}
