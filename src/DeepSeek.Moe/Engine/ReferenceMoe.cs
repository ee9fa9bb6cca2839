using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Onnx;
using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Engine;

/// <summary>
/// A plain managed forward pass, in double precision, straight from the weights stored in the bundle's
/// ONNX files: no ONNX Runtime, no batching, no dispatch. Tests hold every faster path to it.
/// </summary>
public sealed class ReferenceMoe
{
    private readonly MoeManifest _manifest;
    private readonly float[] _gate;
    private readonly ExpertWeights[] _experts;
    private readonly ExpertWeights[] _shared;

    /// <summary>Reads the weights of a bundle.</summary>
    /// <param name="bundle">The bundle.</param>
    public ReferenceMoe(ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _manifest = bundle.Manifest;
        _gate = ExpertGraphs.ReadGate(OnnxModelFile.Read(bundle.PathOf(_manifest.Gate.File), _manifest.Gate.File));
        _experts = [.. _manifest.Experts.Select(e => ExpertWeights.Read(OnnxModelFile.Read(bundle.PathOf(e.File), e.File), e.Kind))];
        _shared = [.. _manifest.SharedExperts.Select(e => ExpertWeights.Read(OnnxModelFile.Read(bundle.PathOf(e.File), e.File), e.Kind))];
        Router = new Router(_manifest.Routing, _experts.Length);
    }

    /// <summary>Gets the router (the same routing rules as the engine).</summary>
    public Router Router { get; }

    /// <summary>Gets the routed experts' weights.</summary>
    public IReadOnlyList<ExpertWeights> Experts => _experts;

    /// <summary>Computes the gate logits in double precision.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <returns>Row-major <c>[rows, experts]</c>.</returns>
    public float[] Logits(ReadOnlySpan<float> x, int rows)
    {
        int d = _manifest.DModel, e = _experts.Length;
        var logits = new float[rows * e];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < e; j++)
            {
                double s = 0;
                for (int i = 0; i < d; i++)
                {
                    s += (double)x[r * d + i] * _gate[i * e + j];
                }

                logits[r * e + j] = (float)s;
            }
        }

        return logits;
    }

    /// <summary>The whole layer, row by row.</summary>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">The noise seed.</param>
    /// <returns>Outputs and routing.</returns>
    public MoeOutput Forward(ReadOnlySpan<float> x, int rows, ulong seed)
    {
        var routing = Router.Route(Logits(x, rows), rows, seed);
        int d = _manifest.DModel, dOut = _manifest.DOut;
        var output = new float[rows * dOut];
        var acc = new double[dOut];
        for (int r = 0; r < rows; r++)
        {
            Array.Clear(acc);
            var row = x.Slice(r * d, d);
            var experts = routing.ExpertsOf(r);
            var weights = routing.WeightsOf(r);
            for (int i = 0; i < routing.TopK; i++)
            {
                var y = Expert(_experts[experts[i]], row);
                for (int j = 0; j < dOut; j++)
                {
                    acc[j] += weights[i] * y[j];
                }
            }

            foreach (var shared in _shared)
            {
                var y = Expert(shared, row);
                for (int j = 0; j < dOut; j++)
                {
                    acc[j] += y[j];
                }
            }

            for (int j = 0; j < dOut; j++)
            {
                output[r * dOut + j] = (float)acc[j];
            }
        }

        return new MoeOutput(output, rows, dOut, routing);
    }

    /// <summary>One expert on one row, in double precision.</summary>
    /// <param name="weights">The expert.</param>
    /// <param name="x">The input row.</param>
    /// <returns>The output row.</returns>
    public static double[] Expert(ExpertWeights weights, ReadOnlySpan<float> x) => weights switch
    {
        LinearLayerNormGeluWeights w => LinearLayerNormGelu(w, x),
        SwiGluWeights w => SwiGlu(w, x),
        _ => throw new NotSupportedException($"No reference for expert kind {weights?.Kind}."),
    };

    private static double[] LinearLayerNormGelu(LinearLayerNormGeluWeights w, ReadOnlySpan<float> x)
    {
        var h = MatVec(x, w.W1, w.DModel, w.DHidden);
        for (int j = 0; j < w.DHidden; j++)
        {
            h[j] += w.B1[j];
        }

        double mean = h.Average();
        double variance = h.Select(v => (v - mean) * (v - mean)).Average();
        double inv = 1.0 / Math.Sqrt(variance + LinearLayerNormGeluWeights.LayerNormEpsilon);
        var a = new double[w.DHidden];
        for (int j = 0; j < w.DHidden; j++)
        {
            double n = (h[j] - mean) * inv * w.LnScale[j] + w.LnBias[j];
            a[j] = Gelu(n);
        }

        var y = MatVec(a, w.W2, w.DHidden, w.DOut);
        for (int j = 0; j < w.DOut; j++)
        {
            y[j] += w.B2[j];
        }

        return y;
    }

    private static double[] SwiGlu(SwiGluWeights w, ReadOnlySpan<float> x)
    {
        var g = MatVec(x, w.WGate, w.DModel, w.DHidden);
        var u = MatVec(x, w.WUp, w.DModel, w.DHidden);
        for (int j = 0; j < w.DHidden; j++)
        {
            g[j] = g[j] / (1.0 + Math.Exp(-g[j])) * u[j];
        }

        var y = MatVec(g, w.WDown, w.DHidden, w.DOut);
        if (w.SharedGate is { } s)
        {
            double z = 0;
            for (int i = 0; i < w.DModel; i++)
            {
                z += (double)x[i] * s[i];
            }

            double gate = 1.0 / (1.0 + Math.Exp(-z));
            for (int j = 0; j < w.DOut; j++)
            {
                y[j] *= gate;
            }
        }

        return y;
    }

    /// <summary>GeLU with the exact erf form: <c>0.5 x (1 + erf(x / sqrt 2))</c>.</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static double Gelu(double x) => 0.5 * x * (1.0 + Erf(x / Math.Sqrt(2.0)));

    /// <summary>The error function to double precision, by the positive series <c>erf x = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!</c>, which has no cancellation.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>erf(x).</returns>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double ax = Math.Abs(x);
        if (ax >= 6.0)
        {
            // erfc(6) is 2e-17: below double resolution at 1.
            return Math.Sign(x);
        }

        double x2 = ax * ax, term = ax, sum = ax;
        for (int n = 1; n < 500; n++)
        {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum)
            {
                break;
            }
        }

        double result = 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
        return x < 0 ? -result : result;
    }

    private static double[] MatVec(ReadOnlySpan<float> x, float[] w, int rows, int cols)
    {
        var y = new double[cols];
        for (int i = 0; i < rows; i++)
        {
            double xi = x[i];
            for (int j = 0; j < cols; j++)
            {
                y[j] += xi * w[i * cols + j];
            }
        }

        return y;
    }

    private static double[] MatVec(double[] x, float[] w, int rows, int cols)
    {
        var y = new double[cols];
        for (int i = 0; i < rows; i++)
        {
            double xi = x[i];
            for (int j = 0; j < cols; j++)
            {
                y[j] += xi * w[i * cols + j];
            }
        }

        return y;
    }
}
