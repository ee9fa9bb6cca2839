using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native;
using DeepSeek.Moe.Native.Engine;
using DeepSeek.Moe.Native.Kernels;
using DeepSeek.Moe.Onnx;
using Google.Protobuf;
using Onnx;

namespace DeepSeek.Benchmarks;

/// <summary>
/// The native kernels against ONNX Runtime on the same work: LayerNorm+GeLU fused, unfused (two native calls) and as
/// ORT's LayerNormalization+Gelu graph on 1024 x 4096; SGEMM against ORT MatMul on the demo expert's two products at
/// 1024 rows; the whole layer (the native engine, whose sparse pass is one dsm_layer_forward) against the ONNX engine
/// at batch 1024 on the demo bundle. Both sides use every core with default settings.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NativeBenchmarks
{
    private const int Rows = 1024, Cols = 4096, DModel = 256, DFf = 1024;

    private string _root = string.Empty;
    private float[] _x = [], _gamma = [], _beta = [], _y = [];
    private float[] _up = [], _w1 = [], _hidden = [], _w2 = [], _down = [];
    private OnnxExpertKernel _ortLayerNormGelu = null!, _ortUp = null!, _ortDown = null!;
    private MoeEngine _onnxEngine = null!, _nativeEngine = null!;
    private float[] _layerX = [];

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "deepseek-bdn-native-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        var rng = new Random(5);
        _x = Uniform(rng, Rows * Cols);
        _gamma = Uniform(rng, Cols);
        _beta = Uniform(rng, Cols);
        _y = new float[Rows * Cols];
        var factory = new OnnxSessionFactory(new ExpertRuntimeOptions());
        _ortLayerNormGelu = new OnnxExpertKernel(factory.Create(LayerNormGeluGraph(_gamma, _beta)), "x", "y", Cols, Cols);

        _up = Uniform(rng, Rows * DModel);
        _w1 = Uniform(rng, DModel * DFf);
        _hidden = new float[Rows * DFf];
        _w2 = Uniform(rng, DFf * DModel);
        _down = new float[Rows * DModel];
        _ortUp = MatMul(factory, "up.onnx", _w1, DModel, DFf);
        _ortDown = MatMul(factory, "down.onnx", _w2, DFf, DModel);

        var demo = DemoBundle.Create(Path.Combine(_root, "demo"), new DemoBundleOptions());
        _onnxEngine = MoeEngine.CreateOnnx(demo);
        _nativeEngine = NativeBackends.Create(demo, NativeDevice.Cpu);
        _layerX = Uniform(rng, Rows * DModel);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ortLayerNormGelu.Dispose();
        _ortUp.Dispose();
        _ortDown.Dispose();
        _onnxEngine.Dispose();
        _nativeEngine.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("LayerNorm+GeLU 1024x4096")]
    public void NativeFused() => NativeKernels.LayerNormGelu(_x, _gamma, _beta, _y, Rows, Cols, 1e-5f);

    [Benchmark]
    [BenchmarkCategory("LayerNorm+GeLU 1024x4096")]
    public void NativeUnfused()
    {
        NativeKernels.LayerNorm(_x, _gamma, _beta, _y, Rows, Cols, 1e-5f);
        NativeKernels.Gelu(_y, _y);
    }

    [Benchmark]
    [BenchmarkCategory("LayerNorm+GeLU 1024x4096")]
    public void OrtGraph() => _ortLayerNormGelu.Run(_x, Rows, _y);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("GEMM 1024x256 @ 256x1024")]
    public void NativeSgemmUp() => NativeKernels.Sgemm(Rows, DFf, DModel, _up, _w1, _hidden);

    [Benchmark]
    [BenchmarkCategory("GEMM 1024x256 @ 256x1024")]
    public void OrtMatMulUp() => _ortUp.Run(_up, Rows, _hidden);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("GEMM 1024x1024 @ 1024x256")]
    public void NativeSgemmDown() => NativeKernels.Sgemm(Rows, DModel, DFf, _hidden, _w2, _down);

    [Benchmark]
    [BenchmarkCategory("GEMM 1024x1024 @ 1024x256")]
    public void OrtMatMulDown() => _ortDown.Run(_hidden, Rows, _down);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("MoE layer, demo, batch 1024")]
    public float[] NativeLayer() => _nativeEngine.Forward(_layerX, Rows, seed: 0).Outputs;

    [Benchmark]
    [BenchmarkCategory("MoE layer, demo, batch 1024")]
    public float[] OnnxEngine() => _onnxEngine.Forward(_layerX, Rows, seed: 0).Outputs;

    private OnnxExpertKernel MatMul(OnnxSessionFactory factory, string file, float[] weight, int input, int output)
    {
        // The gate graph is a plain MatMul of any shape.
        string path = Path.Combine(_root, file);
        ExpertGraphs.SaveGate(path, weight, input, output);
        return new OnnxExpertKernel(factory.Create(path), ExpertGraphs.InputName, ExpertGraphs.GateOutputName, input, output);
    }

    private static byte[] LayerNormGeluGraph(float[] gamma, float[] beta)
    {
        var graph = new GraphProto { Name = "layernorm_gelu" };
        graph.Input.Add(Value("x"));
        graph.Output.Add(Value("y"));
        graph.Initializer.Add(Tensor("gamma", gamma));
        graph.Initializer.Add(Tensor("beta", beta));
        graph.Node.Add(new NodeProto
        {
            OpType = "LayerNormalization",
            Input = { "x", "gamma", "beta" },
            Output = { "h" },
            Attribute =
            {
                new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 },
                new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = 1e-5f },
            },
        });
        graph.Node.Add(new NodeProto
        {
            OpType = "Gelu",
            Input = { "h" },
            Output = { "y" },
            Attribute = { new AttributeProto { Name = "approximate", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("none") } },
        });
        var model = new ModelProto { IrVersion = 9, ProducerName = "DeepSeek.Benchmarks", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 20 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim = { new TensorShapeProto.Types.Dimension { DimParam = "rows" }, new TensorShapeProto.Types.Dimension { DimValue = Cols } },
                },
            },
        },
    };

    private static TensorProto Tensor(string name, float[] values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        Dims = { values.Length },
        RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
    };

    private static float[] Uniform(Random rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return values;
    }
}
