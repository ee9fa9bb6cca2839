namespace DeepSeek.Moe.Benchmarking;

/// <summary>One measured case of an <see cref="EngineBenchmark"/> run.</summary>
/// <param name="Name">The case, for example <c>swiglu-sparse</c>.</param>
/// <param name="Description">What runs, for the table.</param>
/// <param name="Iterations">The timed runs.</param>
/// <param name="MedianMilliseconds">The median time of one forward pass.</param>
/// <param name="MinMilliseconds">The fastest forward pass.</param>
/// <param name="RowsPerSecond">Batch size divided by the median time.</param>
public sealed record EngineBenchmarkCase(
    string Name, string Description, int Iterations, double MedianMilliseconds, double MinMilliseconds, double RowsPerSecond);
