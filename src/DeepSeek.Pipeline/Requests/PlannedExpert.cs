namespace DeepSeek.Pipeline.Requests;

/// <summary>One activated expert of a plan.</summary>
/// <param name="Expert">The expert (routed index, or experts + s for shared expert s).</param>
/// <param name="Shard">The queue shard serving it.</param>
/// <param name="Rows">The request rows it runs on, ascending.</param>
public sealed record PlannedExpert(int Expert, int Shard, int[] Rows);
