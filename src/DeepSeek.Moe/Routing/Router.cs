using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;

namespace DeepSeek.Moe.Routing;

/// <summary>
/// Turns gate logits into a top-k choice per row: optional Gumbel noise, temperature, softmax or
/// sigmoid scoring, selection-only correction bias, group-limited selection, top-k with ties to the
/// lower index, optional renormalization and scaling. Pure and thread-safe.
/// </summary>
public sealed class Router
{
    private const int ParallelRowThreshold = 2048;
    private const int RowsPerBlock = 256;
    private readonly RoutingSettings _settings;
    private readonly int _experts;
    private readonly float[]? _bias;

    /// <summary>Initializes a router for a number of experts.</summary>
    /// <param name="settings">The routing settings (validated by the bundle loader).</param>
    /// <param name="experts">The number of routed experts.</param>
    /// <exception cref="ArgumentException">The settings do not fit the expert count.</exception>
    public Router(RoutingSettings settings, int experts)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.TopK, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.TopK, experts, nameof(settings));
        if (experts % settings.NGroup != 0 || settings.TopkGroup > settings.NGroup)
        {
            throw new ArgumentException($"n_group {settings.NGroup} and topk_group {settings.TopkGroup} do not fit {experts} experts.", nameof(settings));
        }

        if (settings.CorrectionBias is { } b && b.Count != experts)
        {
            throw new ArgumentException($"correction_bias has {b.Count} values for {experts} experts.", nameof(settings));
        }

        _settings = settings;
        _experts = experts;
        _bias = settings.CorrectionBias?.ToArray();
    }

    /// <summary>Gets the routing settings.</summary>
    public RoutingSettings Settings => _settings;

    /// <summary>Routes a batch.</summary>
    /// <param name="logits">Row-major <c>[rows, experts]</c> gate logits.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="seed">The noise seed (ignored unless the settings ask for Gumbel noise, but always recorded).</param>
    /// <param name="maxDegreeOfParallelism">Threads for large batches; the result does not depend on it. <value>Defaults to -1 (all cores).</value></param>
    /// <returns>The routing.</returns>
    public RoutingResult Route(ReadOnlySpan<float> logits, int rows, ulong seed, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (logits.Length != (long)rows * _experts)
        {
            throw new ArgumentException($"Expected {rows} x {_experts} logits, got {logits.Length}.", nameof(logits));
        }

        int k = _settings.TopK;
        var indices = new int[rows * k];
        var weights = new float[rows * k];
        var scores = new float[rows * _experts];
        logits.CopyTo(scores);

        if (rows >= ParallelRowThreshold && maxDegreeOfParallelism != 1)
        {
            // Blocks of rows, this thread leading (a busy thread pool slows routing down instead of stalling it).
            int blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
            int parallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
            SharedLoop.For(blocks, parallelism, () => new float[_experts * 2], (block, scratch) =>
            {
                for (int row = block * RowsPerBlock, end = Math.Min(rows, row + RowsPerBlock); row < end; row++)
                {
                    RouteRow(row, seed, scores, indices, weights, scratch);
                }
            });
        }
        else
        {
            var scratch = new float[_experts * 2];
            for (int row = 0; row < rows; row++)
            {
                RouteRow(row, seed, scores, indices, weights, scratch);
            }
        }

        return new RoutingResult(rows, k, _experts, seed, indices, weights, scores);
    }

    private void RouteRow(int row, ulong seed, float[] allScores, int[] allIndices, float[] allWeights, float[] scratch)
    {
        int e = _experts, k = _settings.TopK;
        var scores = allScores.AsSpan(row * e, e);
        var choice = scratch.AsSpan(0, e);
        var groupScores = scratch.AsSpan(e, _settings.NGroup);

        Score(row, seed, scores);
        for (int j = 0; j < e; j++)
        {
            choice[j] = _bias is null ? scores[j] : scores[j] + _bias[j];
        }

        if (_settings.NGroup > 1)
        {
            MaskGroups(choice, groupScores);
        }

        var idx = allIndices.AsSpan(row * k, k);
        var w = allWeights.AsSpan(row * k, k);
        TopK(choice, idx);
        float sum = 0;
        for (int i = 0; i < k; i++)
        {
            w[i] = scores[idx[i]];
            sum += w[i];
        }

        float scale = _settings.RoutedScalingFactor;
        float norm = _settings.Renormalize && sum > 0 ? 1f / sum : 1f;
        for (int i = 0; i < k; i++)
        {
            w[i] = w[i] * norm * scale;
        }
    }

    private void Score(int row, ulong seed, Span<float> z)
    {
        double invT = 1.0 / _settings.Temperature;
        if (_settings.GumbelNoise)
        {
            for (int j = 0; j < z.Length; j++)
            {
                z[j] = (float)((z[j] + GumbelNoise.Sample(seed, row, j)) * invT);
            }
        }
        else if (invT != 1.0)
        {
            for (int j = 0; j < z.Length; j++)
            {
                z[j] = (float)(z[j] * invT);
            }
        }

        if (_settings.Scoring == ScoringFunctions.Sigmoid)
        {
            for (int j = 0; j < z.Length; j++)
            {
                z[j] = (float)(1.0 / (1.0 + Math.Exp(-z[j])));
            }

            return;
        }

        float max = float.NegativeInfinity;
        foreach (var v in z)
        {
            max = Math.Max(max, v);
        }

        double total = 0;
        for (int j = 0; j < z.Length; j++)
        {
            double p = Math.Exp(z[j] - max);
            z[j] = (float)p;
            total += p;
        }

        float inv = (float)(1.0 / total);
        for (int j = 0; j < z.Length; j++)
        {
            z[j] *= inv;
        }
    }

    // Keeps only the experts of the topk_group best groups selectable (others become -inf).
    private void MaskGroups(Span<float> choice, Span<float> groupScores)
    {
        int groups = _settings.NGroup, size = _experts / groups;
        for (int g = 0; g < groups; g++)
        {
            var members = choice.Slice(g * size, size);
            if (_settings.GroupScore == GroupScoring.Top2Sum)
            {
                float a = float.NegativeInfinity, b = float.NegativeInfinity;
                foreach (var v in members)
                {
                    if (v > a)
                    {
                        b = a;
                        a = v;
                    }
                    else if (v > b)
                    {
                        b = v;
                    }
                }

                groupScores[g] = a + b;
            }
            else
            {
                float best = float.NegativeInfinity;
                foreach (var v in members)
                {
                    best = Math.Max(best, v);
                }

                groupScores[g] = best;
            }
        }

        Span<int> kept = stackalloc int[_settings.TopkGroup];
        TopK(groupScores, kept);
        for (int g = 0; g < groups; g++)
        {
            if (!kept.Contains(g))
            {
                choice.Slice(g * size, size).Fill(float.NegativeInfinity);
            }
        }
    }

    /// <summary>The indices of the k largest values, largest first; ties go to the lower index; -inf entries only when nothing else is left.</summary>
    internal static void TopK(ReadOnlySpan<float> values, Span<int> result)
    {
        int k = result.Length;
        Span<bool> taken = values.Length <= 1024 ? stackalloc bool[values.Length] : new bool[values.Length];
        for (int i = 0; i < k; i++)
        {
            int best = -1;
            for (int j = 0; j < values.Length; j++)
            {
                if (!taken[j] && (best < 0 || values[j] > values[best]))
                {
                    best = j;
                }
            }

            taken[best] = true;
            result[i] = best;
        }
    }
}
