namespace DeepSeek.Moe.Benchmarking;

/// <summary>The shape and length of an <see cref="EngineBenchmark"/> run (defaults: the source design's 16 experts, top-2).</summary>
public sealed record EngineBenchmarkOptions
{
    /// <summary>Gets the rows per forward pass. <value>Defaults to 1024.</value></summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Gets the untimed runs of each case before measuring (the first one includes JIT and weight prepacking). <value>Defaults to 2.</value></summary>
    public int WarmupIterations { get; init; } = 2;

    /// <summary>Gets the timed runs of each case; the median is reported. <value>Defaults to 10.</value></summary>
    public int Iterations { get; init; } = 10;

    /// <summary>Gets the wall time after which measuring a case stops early (after at least one timed run); <see langword="null"/> runs every iteration. <value>Defaults to none.</value></summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Gets the number of routed experts. <value>Defaults to 16.</value></summary>
    public int Experts { get; init; } = 16;

    /// <summary>Gets the experts per row. <value>Defaults to 2.</value></summary>
    public int TopK { get; init; } = 2;

    /// <summary>Gets the model width. <value>Defaults to 256.</value></summary>
    public int DModel { get; init; } = 256;

    /// <summary>Gets the expert hidden width. <value>Defaults to 1024.</value></summary>
    public int DFf { get; init; } = 1024;

    /// <summary>Gets the intra-op threads of every ONNX Runtime session; 0 lets ONNX Runtime choose, as the engine does by default. <value>Defaults to 0.</value></summary>
    public int Threads { get; init; }

    /// <summary>Gets the seed of the weights and the input batch. <value>Defaults to 42.</value></summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the folder under which the temporary bundles are written (and removed afterwards). <value>Defaults to the system temp folder.</value></summary>
    public string? WorkDirectory { get; init; }
}
