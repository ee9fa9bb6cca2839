namespace DeepSeek.Pipeline.Statistics;

/// <summary>The released (noisy) usage of one model in a period.</summary>
/// <param name="Requests">Requests recorded for the model.</param>
/// <param name="Experts">Per expert (routed, then shared): requests that activated it, each request counting toward at most the clip.</param>
public sealed record ModelUsage(double Requests, double[] Experts);
