namespace DeepSeek.Moe.Engine;

/// <summary>Turns caller rows into the engine's row-major layout, refusing anything the model cannot take.</summary>
public static class InputMatrix
{
    /// <summary>Checks and flattens rows of width <paramref name="width"/>.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="width">The required row width (d_model).</param>
    /// <param name="maxRows">The most rows accepted. <value>Defaults to no limit.</value></param>
    /// <returns>Row-major values.</returns>
    /// <exception cref="InvalidInputException">No rows, too many rows, a row of the wrong width, or a value that is not finite; the message names the row and column.</exception>
    public static float[] Flatten(IReadOnlyList<float[]?>? rows, int width, int maxRows = int.MaxValue)
    {
        if (rows is null || rows.Count == 0)
        {
            throw new InvalidInputException("inputs", "must hold at least one row");
        }

        if (rows.Count > maxRows)
        {
            throw new InvalidInputException("inputs", $"has {rows.Count} rows; at most {maxRows} are accepted per request");
        }

        var flat = new float[checked(rows.Count * width)];
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row is null || row.Length != width)
            {
                throw new InvalidInputException($"inputs[{r}]", $"has {row?.Length ?? 0} values; the model takes rows of d_model = {width}");
            }

            for (int c = 0; c < width; c++)
            {
                if (!float.IsFinite(row[c]))
                {
                    throw new InvalidInputException($"inputs[{r}][{c}]", $"is {row[c]}; every value must be finite");
                }
            }

            row.CopyTo(flat, r * width);
        }

        return flat;
    }
}
