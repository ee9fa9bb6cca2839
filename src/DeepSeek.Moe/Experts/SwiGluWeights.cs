using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Experts;

/// <summary>
/// Weights of a SwiGLU expert: <c>y = (silu(x Wg) * (x Wu)) Wd</c>, optionally scaled by
/// <c>sigmoid(x . s)</c> (Qwen's gated shared expert) when <see cref="SharedGate"/> is set.
/// </summary>
public sealed record SwiGluWeights(
    int DModel, int DHidden, int DOut,
    float[] WGate, float[] WUp, float[] WDown, float[]? SharedGate = null)
    : ExpertWeights(DModel, DHidden, DOut)
{
    /// <inheritdoc/>
    public override string Kind => SharedGate is null ? ExpertKinds.SwiGlu : ExpertKinds.GatedSwiGlu;

    internal static SwiGluWeights Read(OnnxModelFile file, bool gated)
    {
        var wg = file.Matrix(ExpertGraphs.WGate);
        var wd = file.Matrix(ExpertGraphs.WDown);
        int dModel = wg.Rows, dHidden = wg.Cols, dOut = wd.Cols;
        file.RequireShape(ExpertGraphs.WDown, wd.Rows, dHidden);
        var wu = file.Matrix(ExpertGraphs.WUp);
        file.RequireShape(ExpertGraphs.WUp, wu.Rows, dModel, wu.Cols, dHidden);
        float[]? shared = null;
        if (gated)
        {
            var s = file.Matrix(ExpertGraphs.WSharedGate);
            file.RequireShape(ExpertGraphs.WSharedGate, s.Rows, dModel, s.Cols, 1);
            shared = s.Values;
        }

        return new SwiGluWeights(dModel, dHidden, dOut, wg.Values, wu.Values, wd.Values, shared);
    }

    /// <inheritdoc/>
    public override void Save(string path)
    {
        var g = ExpertGraphs.NewExpert("swiglu", DModel, DOut);
        g.Initializer(ExpertGraphs.WGate, WGate, DModel, DHidden);
        g.Initializer(ExpertGraphs.WUp, WUp, DModel, DHidden);
        g.Initializer(ExpertGraphs.WDown, WDown, DHidden, DOut);
        g.Node("MatMul", [ExpertGraphs.InputName, ExpertGraphs.WGate], ["g"]);
        g.Node("MatMul", [ExpertGraphs.InputName, ExpertGraphs.WUp], ["u"]);
        g.Node("Sigmoid", ["g"], ["gs"]);
        g.Node("Mul", ["g", "gs"], ["silu"]);
        g.Node("Mul", ["silu", "u"], ["m"]);
        if (SharedGate is null)
        {
            g.Node("MatMul", ["m", ExpertGraphs.WDown], [ExpertGraphs.OutputName]);
        }
        else
        {
            g.Initializer(ExpertGraphs.WSharedGate, SharedGate, DModel, 1);
            g.Node("MatMul", ["m", ExpertGraphs.WDown], ["d"]);
            g.Node("MatMul", [ExpertGraphs.InputName, ExpertGraphs.WSharedGate], ["sg"]);
            g.Node("Sigmoid", ["sg"], ["sgs"]);
            g.Node("Mul", ["d", "sgs"], [ExpertGraphs.OutputName]);
        }

        g.Save(path);
    }
}
