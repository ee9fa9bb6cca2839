using DeepSeek.Moe.Engine;

namespace DeepSeek.Moe.Native.Tests;

/// <summary>Plain double-precision versions of the native kernels, written for clarity, not speed.</summary>
internal static class ManagedReference
{
    public static double[] LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int rows, int cols, float eps)
    {
        var y = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * cols, cols);
            double mean = 0, variance = 0;
            foreach (var v in row)
            {
                mean += v;
            }

            mean /= cols;
            foreach (var v in row)
            {
                variance += (v - mean) * (v - mean);
            }

            variance /= cols;
            double inv = 1.0 / Math.Sqrt(variance + eps);
            for (int c = 0; c < cols; c++)
            {
                y[r * cols + c] = (row[c] - mean) * inv * gamma[c] + beta[c];
            }
        }

        return y;
    }

    public static double[] LayerNormGelu(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int rows, int cols, float eps) =>
        [.. LayerNorm(x, gamma, beta, rows, cols, eps).Select(ReferenceMoe.Gelu)];

    /// <summary>C = A @ B, and per element the sum of |a_ik * b_kj| (the scale float rounding errors grow with).</summary>
    public static (double[] C, double[] AbsSum) Gemm(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var c = new double[m * n];
        var abs = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, t = 0;
                for (int p = 0; p < k; p++)
                {
                    double v = (double)a[i * k + p] * b[p * n + j];
                    s += v;
                    t += Math.Abs(v);
                }

                c[i * n + j] = s;
                abs[i * n + j] = t;
            }
        }

        return (c, abs);
    }
}
