using DeepSeek.Moe.Engine;

namespace DeepSeek.Moe.Quantization;

/// <summary>How far a converted bundle's outputs and routing lie from its source bundle's on the same rows and seed.</summary>
/// <param name="Rows">The rows compared.</param>
/// <param name="MaxAbsError">The largest <c>|y_converted - y_source|</c> over every output value.</param>
/// <param name="MeanAbsError">The mean <c>|y_converted - y_source|</c>.</param>
/// <param name="MeanAbsOutput">The mean <c>|y_source|</c>, the scale the errors compare with.</param>
/// <param name="RoutingDifferent">The rows whose set of top-k experts differs.</param>
public sealed record QuantizationAccuracy(int Rows, double MaxAbsError, double MeanAbsError, double MeanAbsOutput, int RoutingDifferent)
{
    /// <summary>Gets the share of rows whose top-k expert set differs (0 to 1).</summary>
    public double RoutingDifferentShare => Rows == 0 ? 0 : (double)RoutingDifferent / Rows;

    /// <summary>Gets the share of rows routed to the same experts (0 to 1).</summary>
    public double RoutingAgreement => 1 - RoutingDifferentShare;

    /// <summary>Compares two forward passes over the same rows.</summary>
    /// <param name="source">The source bundle's output.</param>
    /// <param name="converted">The converted bundle's output.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">The outputs differ in shape.</exception>
    public static QuantizationAccuracy Compare(MoeOutput source, MoeOutput converted)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(converted);
        if (source.Rows != converted.Rows || source.Outputs.Length != converted.Outputs.Length || source.Routing.TopK != converted.Routing.TopK)
        {
            throw new ArgumentException("The two outputs differ in rows, width or top-k.", nameof(converted));
        }

        double max = 0, sum = 0, sumSource = 0;
        for (int i = 0; i < source.Outputs.Length; i++)
        {
            double d = Math.Abs((double)converted.Outputs[i] - source.Outputs[i]);
            max = Math.Max(max, d);
            sum += d;
            sumSource += Math.Abs((double)source.Outputs[i]);
        }

        int different = 0;
        for (int r = 0; r < source.Rows; r++)
        {
            var a = source.Routing.ExpertsOf(r).ToArray();
            var b = converted.Routing.ExpertsOf(r).ToArray();
            Array.Sort(a);
            Array.Sort(b);
            if (!a.AsSpan().SequenceEqual(b))
            {
                different++;
            }
        }

        int n = Math.Max(1, source.Outputs.Length);
        return new QuantizationAccuracy(source.Rows, max, sum / n, sumSource / n, different);
    }

    /// <summary>Runs both engines on the same rows with the same noise seed and compares them.</summary>
    /// <param name="source">The source bundle's engine.</param>
    /// <param name="converted">The converted bundle's engine.</param>
    /// <param name="x">Row-major <c>[rows, d_model]</c>.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="seed">The routing noise seed of both passes.</param>
    /// <returns>The comparison.</returns>
    public static QuantizationAccuracy Measure(MoeEngine source, MoeEngine converted, ReadOnlySpan<float> x, int rows, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(converted);
        return Compare(source.Forward(x, rows, seed), converted.Forward(x, rows, seed));
    }
}
