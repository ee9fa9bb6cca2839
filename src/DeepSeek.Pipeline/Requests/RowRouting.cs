namespace DeepSeek.Pipeline.Requests;

/// <summary>The experts and weights of one row, best first.</summary>
/// <param name="Experts">The expert indices.</param>
/// <param name="Weights">The weights.</param>
public sealed record RowRouting(int[] Experts, float[] Weights);
