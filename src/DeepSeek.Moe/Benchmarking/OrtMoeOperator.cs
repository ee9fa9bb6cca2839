using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>
/// The same MoE layer as a single ONNX Runtime graph, <c>x -> MatMul(w_router) -> com.microsoft MoE -> y</c>:
/// an independent peer the engine is checked and benchmarked against. ONNX Runtime routes, runs the experts
/// and combines inside one operator; only Mixtral-style bundles (SwiGLU experts, plain softmax top-k) fit it.
/// </summary>
public sealed class OrtMoeOperator : IDisposable
{
    private const string Domain = "com.microsoft";

    private readonly OnnxExpertKernel _kernel;

    private OrtMoeOperator(OnnxExpertKernel kernel, int dModel, int experts, int topK)
    {
        _kernel = kernel;
        DModel = dModel;
        ExpertCount = experts;
        TopK = topK;
    }

    /// <summary>Gets the input and output width.</summary>
    public int DModel { get; }

    /// <summary>Gets the number of routed experts.</summary>
    public int ExpertCount { get; }

    /// <summary>Gets the experts per row.</summary>
    public int TopK { get; }

    /// <summary>Builds the graph from a bundle's weights and opens a session on it.</summary>
    /// <param name="bundle">A bundle whose routed experts are all <see cref="ExpertKinds.SwiGlu"/> with one hidden width, with softmax routing at temperature 1, no noise, no groups, no correction bias, scaling 1, no shared experts and <c>d_out == d_model</c>.</param>
    /// <param name="options">The runtime options (threads, optimization level). <value>Defaults to the CPU provider with every core.</value></param>
    /// <returns>The operator.</returns>
    /// <exception cref="ArgumentException">The bundle is something the MoE operator cannot express; the message says what.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The provider cannot load and no fallback is configured.</exception>
    public static OrtMoeOperator Create(ModelBundle bundle, ExpertRuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var m = bundle.Manifest;
        RequireExpressible(m);
        var gate = ExpertGraphs.ReadGate(OnnxModelFile.Read(bundle.PathOf(m.Gate.File), m.Gate.File));
        var experts = m.Experts
            .Select(e => (SwiGluWeights)ExpertWeights.Read(OnnxModelFile.Read(bundle.PathOf(e.File), e.File), e.Kind))
            .ToList();
        if (experts.Any(w => w.DHidden != experts[0].DHidden || w.DModel != m.DModel || w.DOut != m.DModel))
        {
            throw new ArgumentException("The MoE operator needs every expert to share one hidden width and to map d_model to d_model.", nameof(bundle));
        }

        var model = BuildGraph(gate, experts, m.DModel, m.Routing);
        var session = new OnnxSessionFactory(options ?? new ExpertRuntimeOptions()).Create(model);
        var kernel = new OnnxExpertKernel(session, ExpertGraphs.InputName, ExpertGraphs.OutputName, m.DModel, m.DModel);
        return new OrtMoeOperator(kernel, m.DModel, experts.Count, m.Routing.TopK);
    }

    /// <summary>Runs the layer.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <returns>Row-major <c>[rows, d_model]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative or <paramref name="x"/> is shorter than <c>rows * d_model</c>.</exception>
    public float[] Run(ReadOnlySpan<float> x, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var y = new float[rows * DModel];
        _kernel.Run(x, rows, y);
        return y;
    }

    /// <inheritdoc/>
    public void Dispose() => _kernel.Dispose();

    private static void RequireExpressible(MoeManifest m)
    {
        var problems = new List<string>();
        var kinds = m.Experts.Select(e => e.Kind).Where(k => k != ExpertKinds.SwiGlu).Distinct().ToList();
        if (kinds.Count > 0)
        {
            problems.Add($"experts must all be '{ExpertKinds.SwiGlu}' (found '{string.Join("', '", kinds)}')");
        }

        var r = m.Routing;
        if (r.Scoring != ScoringFunctions.Softmax || r.Temperature != 1f)
        {
            problems.Add($"scoring must be softmax at temperature 1 (found {r.Scoring} at {r.Temperature})");
        }

        if (r.GumbelNoise)
        {
            problems.Add("routing must be noise-free (gumbel_noise is set)");
        }

        if (r.NGroup != 1 || r.CorrectionBias is not null || r.RoutedScalingFactor != 1f)
        {
            problems.Add("routing must have no expert groups, no correction bias and a routed scaling factor of 1");
        }

        if (m.SharedExperts.Count > 0 || m.DOut != m.DModel)
        {
            problems.Add($"the bundle must have no shared experts and d_out == d_model (found {m.SharedExperts.Count} shared, d_out {m.DOut}, d_model {m.DModel})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Bundle '{m.Id}' cannot run on ONNX Runtime's MoE operator: {string.Join("; ", problems)}.", "bundle");
        }
    }

    private static byte[] BuildGraph(float[] gate, IReadOnlyList<SwiGluWeights> experts, int dModel, RoutingSettings routing)
    {
        int e = experts.Count, inter = experts[0].DHidden;
        var fc1 = new float[(long)e * 2 * inter * dModel];
        var fc2 = new float[(long)e * dModel * inter];
        for (int x = 0; x < e; x++)
        {
            // fc1 is [E, 2*inter, hidden], used transposed; CPU SwiGLU is interleaved: row 2i gate, row 2i+1 up.
            var w = experts[x];
            var f1 = fc1.AsSpan(x * 2 * inter * dModel, 2 * inter * dModel);
            for (int h = 0; h < dModel; h++)
            {
                for (int i = 0; i < inter; i++)
                {
                    f1[(2 * i * dModel) + h] = w.WGate[(h * inter) + i];
                    f1[((2 * i + 1) * dModel) + h] = w.WUp[(h * inter) + i];
                }
            }

            // fc2 is [E, hidden, inter], used transposed: the down projection W_down [inter, hidden] flipped.
            var f2 = fc2.AsSpan(x * dModel * inter, dModel * inter);
            for (int i = 0; i < inter; i++)
            {
                for (int h = 0; h < dModel; h++)
                {
                    f2[(h * inter) + i] = w.WDown[(i * dModel) + h];
                }
            }
        }

        var g = new OnnxGraphBuilder("moe-operator", usesMicrosoftDomain: true);
        g.Input(ExpertGraphs.InputName, null, dModel);
        g.Output(ExpertGraphs.OutputName, null, dModel);
        g.Initializer(ExpertGraphs.GateWeight, gate, dModel, e);
        g.Initializer("fc1", fc1, e, 2 * inter, dModel);
        g.Initializer("fc2", fc2, e, dModel, inter);
        g.Node("MatMul", [ExpertGraphs.InputName, ExpertGraphs.GateWeight], [ExpertGraphs.GateOutputName]);

        // The operator applies softmax to the logits itself; optional inputs are skipped with "".
        g.Node("MoE", [ExpertGraphs.InputName, ExpertGraphs.GateOutputName, "fc1", string.Empty, "fc2"], [ExpertGraphs.OutputName], Domain,
            OnnxGraphBuilder.Attr("k", (long)routing.TopK),
            OnnxGraphBuilder.Attr("activation_type", "swiglu"),
            OnnxGraphBuilder.Attr("normalize_routing_weights", routing.Renormalize ? 1L : 0L),
            OnnxGraphBuilder.Attr("swiglu_fusion", 1L),
            OnnxGraphBuilder.Attr("activation_alpha", 1f),
            OnnxGraphBuilder.Attr("activation_beta", 0f),
            OnnxGraphBuilder.Attr("swiglu_limit", float.PositiveInfinity));
        return g.ToBytes();
    }
}
