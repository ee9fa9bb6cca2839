namespace DeepSeek.Moe.Routing;

/// <summary>The routing of a batch: for each row the chosen experts in descending score order, their weights, and every expert's score.</summary>
public sealed class RoutingResult
{
    internal RoutingResult(int rows, int topK, int experts, ulong seed, int[] indices, float[] weights, float[] scores)
    {
        Rows = rows;
        TopK = topK;
        ExpertCount = experts;
        Seed = seed;
        Indices = indices;
        Weights = weights;
        Scores = scores;
    }

    /// <summary>Rebuilds a routing from a stored plan (experts and weights per row; scores are not kept).</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="topK">Experts per row.</param>
    /// <param name="experts">The number of routed experts.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="indices">Chosen experts per row.</param>
    /// <param name="weights">Weights per row.</param>
    /// <returns>The routing.</returns>
    /// <exception cref="ArgumentException">A row does not hold top-k valid experts and weights.</exception>
    public static RoutingResult FromPlan(int rows, int topK, int experts, ulong seed, IReadOnlyList<int[]> indices, IReadOnlyList<float[]> weights)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weights);
        var flatIndices = new int[rows * topK];
        var flatWeights = new float[rows * topK];
        for (int r = 0; r < rows; r++)
        {
            if (indices[r].Length != topK || weights[r].Length != topK || indices[r].Any(e => e < 0 || e >= experts))
            {
                throw new ArgumentException($"Row {r} of the plan does not hold {topK} experts below {experts} with weights.", nameof(indices));
            }

            indices[r].CopyTo(flatIndices, r * topK);
            weights[r].CopyTo(flatWeights, r * topK);
        }

        return new RoutingResult(rows, topK, experts, seed, flatIndices, flatWeights, []);
    }

    /// <summary>
    /// Stacks the routings of several callers' rows, in order, into one routing over all their rows (for running
    /// their experts as one batch); each part keeps the experts and weights it was routed to.
    /// </summary>
    /// <param name="parts">The routings, all with the same top-k and expert count.</param>
    /// <returns>One routing over every part's rows; its seed is the first part's.</returns>
    /// <exception cref="ArgumentException">The parts differ in top-k or expert count, or there are none.</exception>
    public static RoutingResult Concat(IReadOnlyList<RoutingResult> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("There is no routing to stack.", nameof(parts));
        }

        var first = parts[0];
        if (parts.Any(p => p.TopK != first.TopK || p.ExpertCount != first.ExpertCount))
        {
            throw new ArgumentException("Routings with different top-k or expert counts cannot be stacked.", nameof(parts));
        }

        bool scored = parts.All(p => p.Scores.Length == p.Rows * p.ExpertCount);
        return new RoutingResult(
            parts.Sum(p => p.Rows),
            first.TopK,
            first.ExpertCount,
            first.Seed,
            [.. parts.SelectMany(p => p.Indices)],
            [.. parts.SelectMany(p => p.Weights)],
            scored ? [.. parts.SelectMany(p => p.Scores)] : []);
    }

    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of experts chosen per row.</summary>
    public int TopK { get; }

    /// <summary>Gets the number of routed experts.</summary>
    public int ExpertCount { get; }

    /// <summary>Gets the seed of the Gumbel noise (recorded even where the bundle uses no noise).</summary>
    public ulong Seed { get; }

    /// <summary>Gets the chosen expert indices, row-major <c>[rows, top_k]</c>.</summary>
    public int[] Indices { get; }

    /// <summary>Gets the combination weights, row-major <c>[rows, top_k]</c>.</summary>
    public float[] Weights { get; }

    /// <summary>Gets the scores of all experts (after noise and temperature, before the correction bias), row-major <c>[rows, experts]</c>.</summary>
    public float[] Scores { get; }

    /// <summary>Gets the chosen experts of one row.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The expert indices, best first.</returns>
    public ReadOnlySpan<int> ExpertsOf(int row) => Indices.AsSpan(row * TopK, TopK);

    /// <summary>Gets the weights of one row's chosen experts.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The weights, in the order of <see cref="ExpertsOf"/>.</returns>
    public ReadOnlySpan<float> WeightsOf(int row) => Weights.AsSpan(row * TopK, TopK);

    /// <summary>Counts the activations per expert and the balancedness of this batch.</summary>
    /// <returns>The load statistics.</returns>
    public LoadStatistics Load() => LoadStatistics.FromIndices(Indices, ExpertCount);
}
