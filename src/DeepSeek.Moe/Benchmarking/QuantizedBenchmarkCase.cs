using DeepSeek.Moe.Quantization;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>One precision of a <see cref="QuantizedBenchmark"/> run.</summary>
/// <param name="Precision">The precision (<c>fp32</c>, <c>fp16</c>, <c>int8</c>, <c>int4</c>).</param>
/// <param name="Timing">The engine's forward passes on the benchmark batch.</param>
/// <param name="Bytes">The bundle's files on disk.</param>
/// <param name="Accuracy">Outputs and routing against fp32 on the benchmark batch; <see langword="null"/> for fp32 itself.</param>
public sealed record QuantizedBenchmarkCase(string Precision, EngineBenchmarkCase Timing, long Bytes, QuantizationAccuracy? Accuracy);
