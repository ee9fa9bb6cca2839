using System.Text.Json;
using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Models;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// Validates job lines one by one (a bad line is recorded, never sent) and groups the valid ones into chunks:
/// whole lines in input order, up to the chunk size in rows, one model per chunk, and never two different
/// requested seeds in one chunk. A line alone larger than the chunk size gets a chunk of its own.
/// </summary>
internal static class JobSplitter
{
    private const int MaxErrorChars = 400;

    public static ParsedLine[] Parse(ReadOnlySpan<byte> data, List<Range> lines, string jobModel, ModelRegistry models, int maxRowsPerLine)
    {
        var parsed = new ParsedLine[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            parsed[i] = ParseLine(i + 1, data[lines[i]], jobModel, models, maxRowsPerLine);
        }

        return parsed;
    }

    public static JobChunk[] Chunk(string jobId, IReadOnlyList<ParsedLine> parsed, int chunkRows)
    {
        var chunks = new List<JobChunk>();
        var lines = new List<int>();
        var rows = new List<int>();
        string? model = null;
        ulong? seed = null;
        int total = 0;

        void Close()
        {
            if (lines.Count > 0)
            {
                int index = chunks.Count;
                chunks.Add(new JobChunk(index, model!, seed ?? JobStage.ChunkSeed(jobId, index), [.. lines], [.. rows]));
            }

            lines.Clear();
            rows.Clear();
            seed = null;
            total = 0;
        }

        foreach (var line in parsed)
        {
            if (line.Error is not null)
            {
                continue;
            }

            bool fits = model == line.Model && total + line.Rows <= chunkRows && (line.Seed is null || seed is null || seed == line.Seed);
            if (!fits)
            {
                Close();
            }

            model = line.Model;
            seed ??= line.Seed;
            lines.Add(line.Line);
            rows.Add(line.Rows);
            total += line.Rows;
        }

        Close();
        return [.. chunks];
    }

    public static JobLineError[] Errors(IEnumerable<ParsedLine> parsed) =>
        [.. parsed.Where(p => p.Error is not null).Select(p => new JobLineError(p.Line, p.Error!))];

    private static ParsedLine ParseLine(int number, ReadOnlySpan<byte> text, string jobModel, ModelRegistry models, int maxRows)
    {
        ParsedLine Bad(string model, string error) =>
            new(number, model, null, null, 0, error.Length <= MaxErrorChars ? error : error[..MaxErrorChars] + "...");

        if (JobInput.IsBlank(text))
        {
            return Bad(jobModel, "The line is empty; every line must be a JSON object with \"inputs\".");
        }

        JobLine? line;
        try
        {
            line = JsonSerializer.Deserialize(text, JobJsonContext.Default.JobLine);
        }
        catch (JsonException ex)
        {
            // Each line is parsed alone, so the reader's own line number is always 0: it would only mislead.
            return Bad(jobModel, "The line is not valid JSON of the job line shape: " + ex.Message.Replace(" | LineNumber: 0", "", StringComparison.Ordinal));
        }

        if (line is null)
        {
            return Bad(jobModel, "The line is null; every line must be a JSON object with \"inputs\".");
        }

        var model = line.Model ?? jobModel;
        if (line.Inputs is null)
        {
            return Bad(model, "inputs is missing; every line needs \"inputs\": [[...], ...].");
        }

        if (!models.TryGet(model, out var bundle))
        {
            return Bad(model, $"model '{model}' is not served here.");
        }

        try
        {
            var rows = line.Inputs.Select(r => r is null ? null : Array.ConvertAll(r, v => (float)v)).ToArray();
            var x = InputMatrix.Flatten(rows, bundle.Manifest.DModel, maxRows);
            return new ParsedLine(number, model, line.Options?.Seed, x, rows.Length, null, line.Metadata);
        }
        catch (InvalidInputException ex)
        {
            return Bad(model, ex.Message);
        }
    }
}
