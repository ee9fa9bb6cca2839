using System.Text.Json;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// The one rule for what the lines of a JSONL job body are, used both when counting at submission and when
/// splitting: lines end at <c>\n</c> (a trailing <c>\r</c> is dropped), a leading UTF-8 BOM is skipped, and
/// blank lines after the last non-blank one are not lines. A blank line in the middle is a line (and an error).
/// </summary>
internal static class JobInput
{
    private const int CopyBufferBytes = 81920;
    private static readonly byte[] s_modelProperty = "model"u8.ToArray();

    private static ReadOnlySpan<byte> ModelProperty => s_modelProperty;

    /// <summary>Reads a body into memory, refusing it as soon as it passes the limit.</summary>
    public static async Task<byte[]> ReadAsync(Stream body, long limit, CancellationToken ct)
    {
        if (body.CanSeek && body.Length - body.Position > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[CopyBufferBytes];
        int read;
        while ((read = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Gets the range of each line; line n (1-based) is element n - 1.</summary>
    public static List<Range> Lines(ReadOnlySpan<byte> data)
    {
        int start = data.StartsWith("\uFEFF"u8) ? 3 : 0;
        var lines = new List<Range>();
        int keep = 0;
        while (start <= data.Length)
        {
            int newline = data[start..].IndexOf((byte)'\n');
            int end = newline < 0 ? data.Length : start + newline;
            int contentEnd = end > start && data[end - 1] == (byte)'\r' ? end - 1 : end;
            lines.Add(start..contentEnd);
            if (!IsBlank(data[start..contentEnd]))
            {
                keep = lines.Count;
            }

            if (newline < 0)
            {
                break;
            }

            start = end + 1;
        }

        lines.RemoveRange(keep, lines.Count - keep);
        return lines;
    }

    /// <summary>
    /// Gets every model id the lines name (<c>"model"</c> at the top level of a line), distinct, without parsing inputs into
    /// numbers. A line that is not a JSON object is skipped here: the splitter records it as a line error.
    /// </summary>
    public static IReadOnlyList<string> ModelsNamed(ReadOnlySpan<byte> data, List<Range> lines)
    {
        var models = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var reader = new Utf8JsonReader(data[line]);
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isModel = reader.ValueTextEquals(ModelProperty);
                    reader.Read();
                    if (isModel && reader.TokenType == JsonTokenType.String)
                    {
                        models.Add(reader.GetString()!);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            catch (JsonException)
            {
                // Malformed from here on: whatever it named so far is kept, the rest is the splitter's line error.
            }
        }

        return [.. models];
    }

    /// <summary>Tells whether a line holds only JSON whitespace.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;

    private static JobTooLargeException TooLarge(long limit) =>
        new($"The job body is larger than {limit} bytes (setting Pipeline:MaxRequestBytes).", limit);
}
