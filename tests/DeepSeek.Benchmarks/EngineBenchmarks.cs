using BenchmarkDotNet.Attributes;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using MoeOperator = DeepSeek.Moe.Benchmarking.OrtMoeOperator;

namespace DeepSeek.Benchmarks;

/// <summary>
/// The engine's sparse top-2-of-16 against its dense baseline and against ONNX Runtime's com.microsoft MoE
/// operator on the same SwiGLU weights; sparse and dense again on the demo bundle (linear-layernorm-gelu
/// experts, which the MoE operator cannot express). Sessions use the engine's default runtime options.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class EngineBenchmarks
{
    private string _root = string.Empty;
    private MoeEngine _swiGlu = null!;
    private MoeOperator _moeOperator = null!;
    private MoeEngine _demo = null!;
    private float[] _x = [];

    [Params(1024)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "deepseek-bdn-" + Guid.NewGuid().ToString("N"));
        var shape = new DemoBundleOptions();
        var swiGlu = DemoBundle.Create(Path.Combine(_root, "swiglu"), shape with { ExpertKind = ExpertKinds.SwiGlu });
        var demo = DemoBundle.Create(Path.Combine(_root, "demo"), shape);
        _swiGlu = MoeEngine.CreateOnnx(swiGlu);
        _moeOperator = MoeOperator.Create(swiGlu);
        _demo = MoeEngine.CreateOnnx(demo);
        var rng = new Random(43);
        _x = new float[BatchSize * shape.DModel];
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)((rng.NextDouble() * 2) - 1);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _swiGlu.Dispose();
        _moeOperator.Dispose();
        _demo.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public float[] SparseTopK() => _swiGlu.Forward(_x, BatchSize, seed: 0).Outputs;

    [Benchmark]
    public float[] Dense() => _swiGlu.Forward(_x, BatchSize, seed: 0, ForwardMode.Dense).Outputs;

    [Benchmark]
    public float[] OrtMoeOperator() => _moeOperator.Run(_x, BatchSize);

    [Benchmark]
    public float[] DemoSparse() => _demo.Forward(_x, BatchSize, seed: 0).Outputs;

    [Benchmark]
    public float[] DemoDense() => _demo.Forward(_x, BatchSize, seed: 0, ForwardMode.Dense).Outputs;
}
