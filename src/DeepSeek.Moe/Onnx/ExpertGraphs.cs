using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Onnx;

/// <summary>The fixed tensor names of bundle graphs, and the gate graph itself.</summary>
public static class ExpertGraphs
{
    /// <summary>Input of the gate and of every expert: <c>[rows, d_model]</c>.</summary>
    public const string InputName = "x";

    /// <summary>Output of an expert: <c>[rows, d_out]</c>.</summary>
    public const string OutputName = "y";

    /// <summary>Output of the gate: <c>[rows, experts]</c>.</summary>
    public const string GateOutputName = "logits";

    /// <summary>Gate weight <c>[d_model, experts]</c>.</summary>
    public const string GateWeight = "w_router";

    /// <summary>Demo expert weights.</summary>
    public const string W1 = "w1", B1 = "b1", LnScale = "ln_scale", LnBias = "ln_bias", W2 = "w2", B2 = "b2";

    /// <summary>SwiGLU expert weights.</summary>
    public const string WGate = "w_gate", WUp = "w_up", WDown = "w_down", WSharedGate = "w_shared_gate";

    /// <summary>Writes a gate: <c>logits = x @ w</c>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="weight">Row-major <c>[dModel, experts]</c>.</param>
    /// <param name="dModel">Input width.</param>
    /// <param name="experts">Number of routed experts.</param>
    public static void SaveGate(string path, ReadOnlySpan<float> weight, int dModel, int experts)
    {
        var g = new OnnxGraphBuilder("gate");
        g.Input(InputName, null, dModel);
        g.Output(GateOutputName, null, experts);
        g.Initializer(GateWeight, weight, dModel, experts);
        g.Node("MatMul", [InputName, GateWeight], [GateOutputName]);
        g.Save(path);
    }

    /// <summary>Reads a gate weight <c>[dModel, experts]</c> back from its ONNX file.</summary>
    /// <param name="file">The parsed gate file.</param>
    /// <returns>The row-major weight.</returns>
    public static float[] ReadGate(OnnxModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Matrix(GateWeight).Values;
    }

    internal static OnnxGraphBuilder NewExpert(string name, int dModel, int dOut)
    {
        var g = new OnnxGraphBuilder(name);
        g.Input(InputName, null, dModel);
        g.Output(OutputName, null, dOut);
        return g;
    }

    internal static (float[] Values, int Rows, int Cols) Matrix(this OnnxModelFile file, string name)
    {
        var (values, shape) = file.Initializer(name);
        if (shape.Length != 2)
        {
            throw new BundleException(file.DisplayName, name, $"expected a matrix, found shape [{string.Join(", ", shape)}]");
        }

        return (values, checked((int)shape[0]), checked((int)shape[1]));
    }

    internal static float[] Vector(this OnnxModelFile file, string name, int length)
    {
        var (values, shape) = file.Initializer(name);
        if (shape.Length != 1 || shape[0] != length)
        {
            throw new BundleException(file.DisplayName, name, $"expected shape [{length}], found [{string.Join(", ", shape)}]");
        }

        return values;
    }

    internal static void RequireShape(this OnnxModelFile file, string name, params int[] actualExpectedPairs)
    {
        for (int i = 0; i < actualExpectedPairs.Length; i += 2)
        {
            if (actualExpectedPairs[i] != actualExpectedPairs[i + 1])
            {
                throw new BundleException(file.DisplayName, name,
                    $"dimension {i / 2} is {actualExpectedPairs[i]}, expected {actualExpectedPairs[i + 1]}");
            }
        }
    }
}
