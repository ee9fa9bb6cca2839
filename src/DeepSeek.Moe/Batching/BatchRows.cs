using System.Buffers;

namespace DeepSeek.Moe.Batching;

/// <summary>The row-major inputs of a batch's callers: checked at the call, stacked into one matrix, split back.</summary>
internal static class BatchRows
{
    /// <summary>Throws unless <paramref name="x"/> holds <paramref name="rows"/> rows of <paramref name="width"/> values.</summary>
    /// <param name="x">The caller's input.</param>
    /// <param name="rows">Its rows.</param>
    /// <param name="width">The values per row.</param>
    /// <exception cref="ArgumentException">The lengths disagree.</exception>
    public static void Require(float[] x, int rows, int width)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (x.Length != (long)rows * width)
        {
            throw new ArgumentException($"Expected {rows} x {width} input values, got {x.Length}.", nameof(x));
        }
    }

    /// <summary>
    /// Stacks the callers' inputs, in order, into one <c>[rows, width]</c> matrix in an array rented from
    /// <see cref="ArrayPool{T}.Shared"/> (possibly longer): batches come and go many times a second, and fresh
    /// arrays for them made the collector stop every thread several times as often.
    /// </summary>
    /// <param name="inputs">Each caller's rows.</param>
    /// <param name="rows">Their rows in all.</param>
    /// <param name="width">The values per row.</param>
    /// <returns>The rented array, its first <c>rows * width</c> values the stacked matrix; return it to the pool.</returns>
    public static float[] RentStacked(IEnumerable<float[]> inputs, int rows, int width)
    {
        var x = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * width));
        int at = 0;
        foreach (var input in inputs)
        {
            input.CopyTo(x, at);
            at += input.Length;
        }

        return x;
    }

    /// <summary>Splits a stacked <c>[rows, width]</c> result back into each caller's rows, in order.</summary>
    /// <param name="y">The stacked result (at least as long as the rows in all).</param>
    /// <param name="rows">Each caller's rows.</param>
    /// <param name="width">The values per row.</param>
    /// <returns>Each caller's part.</returns>
    public static float[][] Split(ReadOnlySpan<float> y, IReadOnlyList<int> rows, int width)
    {
        var parts = new float[rows.Count][];
        int at = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = y.Slice(at * width, rows[i] * width).ToArray();
            at += rows[i];
        }

        return parts;
    }
}
