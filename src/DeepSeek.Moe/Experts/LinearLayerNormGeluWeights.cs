using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Experts;

/// <summary>Weights of the demo expert: <c>y = GeLU(LayerNorm(x W1 + b1)) W2 + b2</c>.</summary>
public sealed record LinearLayerNormGeluWeights(
    int DModel, int DHidden, int DOut,
    float[] W1, float[] B1, float[] LnScale, float[] LnBias, float[] W2, float[] B2)
    : ExpertWeights(DModel, DHidden, DOut)
{
    /// <summary>The LayerNorm epsilon of the demo expert.</summary>
    public const float LayerNormEpsilon = 1e-5f;

    /// <inheritdoc/>
    public override string Kind => ExpertKinds.LinearLayerNormGelu;

    internal static LinearLayerNormGeluWeights Read(OnnxModelFile file)
    {
        var w1 = file.Matrix(ExpertGraphs.W1);
        var w2 = file.Matrix(ExpertGraphs.W2);
        int dModel = w1.Rows, dHidden = w1.Cols, dOut = w2.Cols;
        file.RequireShape(ExpertGraphs.W2, w2.Rows, dHidden);
        return new LinearLayerNormGeluWeights(
            dModel, dHidden, dOut, w1.Values,
            file.Vector(ExpertGraphs.B1, dHidden),
            file.Vector(ExpertGraphs.LnScale, dHidden),
            file.Vector(ExpertGraphs.LnBias, dHidden),
            w2.Values,
            file.Vector(ExpertGraphs.B2, dOut));
    }

    /// <inheritdoc/>
    public override void Save(string path)
    {
        var g = ExpertGraphs.NewExpert("linear_layernorm_gelu", DModel, DOut);
        g.Initializer(ExpertGraphs.W1, W1, DModel, DHidden);
        g.Initializer(ExpertGraphs.B1, B1, DHidden);
        g.Initializer(ExpertGraphs.LnScale, LnScale, DHidden);
        g.Initializer(ExpertGraphs.LnBias, LnBias, DHidden);
        g.Initializer(ExpertGraphs.W2, W2, DHidden, DOut);
        g.Initializer(ExpertGraphs.B2, B2, DOut);
        g.Node("MatMul", [ExpertGraphs.InputName, ExpertGraphs.W1], ["h1"]);
        g.Node("Add", ["h1", ExpertGraphs.B1], ["h2"]);
        g.Node("LayerNormalization", ["h2", ExpertGraphs.LnScale, ExpertGraphs.LnBias], ["h3"], "",
            OnnxGraphBuilder.Attr("axis", -1L), OnnxGraphBuilder.Attr("epsilon", LayerNormEpsilon));
        g.Node("Gelu", ["h3"], ["h4"], "", OnnxGraphBuilder.Attr("approximate", "none"));
        g.Node("MatMul", ["h4", ExpertGraphs.W2], ["h5"]);
        g.Node("Add", ["h5", ExpertGraphs.B2], [ExpertGraphs.OutputName]);
        g.Save(path);
    }
}
