namespace DeepSeek.Cli.Run;

/// <summary>The experts and weights of one row, best first.</summary>
internal sealed record RowRouting(int[] Experts, float[] Weights);
