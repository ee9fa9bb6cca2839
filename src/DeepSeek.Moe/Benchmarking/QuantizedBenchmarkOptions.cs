using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>The run of a <see cref="QuantizedBenchmark"/>: the engine benchmark's batch, passes, threads and demo shape, plus the conversion.</summary>
public sealed record QuantizedBenchmarkOptions
{
    /// <summary>Gets the batch size, warm-up and timed passes, threads, seed, work folder and the demo bundle's shape. <value>Defaults to <see cref="EngineBenchmarkOptions"/>'s defaults.</value></summary>
    public EngineBenchmarkOptions Run { get; init; } = new();

    /// <summary>Gets an fp32 bundle folder to measure instead of a demo bundle written for the run. <value>Defaults to none.</value></summary>
    public string? Model { get; init; }

    /// <summary>Gets the quantization block size of the int8 and int4 copies. <value>Defaults to 32.</value></summary>
    public int BlockSize { get; init; } = QuantizationOptions.DefaultBlockSize;

    /// <summary>Gets whether the copies convert the gate too. <value>Defaults to false.</value></summary>
    public bool Gate { get; init; }
}
