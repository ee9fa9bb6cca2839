using System.Text.Json;

namespace DeepSeek.Deployment.Tests.Containers;

/// <summary>A Dockerfile read as instructions (continuation lines joined, comments dropped) and its stages.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(string name, List<(string Keyword, string Arguments)> instructions)
    {
        Name = name;
        Instructions = instructions;
    }

    public string Name { get; }

    public IReadOnlyList<(string Keyword, string Arguments)> Instructions { get; }

    /// <summary>Gets the stages in order: their image and name (null for an unnamed stage).</summary>
    public IReadOnlyList<(string Image, string? Name)> Stages =>
        [.. Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => (p[0], p.Length == 3 && p[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? p[2] : null))];

    public IEnumerable<Copy> Copies => Instructions.Where(i => i.Keyword == "COPY").Select(i => Copy.Parse(i.Arguments));

    public IEnumerable<string> Runs => Instructions.Where(i => i.Keyword == "RUN").Select(i => i.Arguments);

    public string? Argument(string name) =>
        Instructions.Where(i => i.Keyword == "ARG").Select(i => i.Arguments.Split('=', 2))
            .Where(p => p[0] == name && p.Length == 2).Select(p => p[1].Trim('"')).FirstOrDefault();

    public IReadOnlyList<string> Entrypoint =>
        Instructions.Where(i => i.Keyword == "ENTRYPOINT").Select(i => JsonSerializer.Deserialize<string[]>(i.Arguments)!).LastOrDefault() ?? [];

    public static Dockerfile Load(string path)
    {
        var instructions = new List<(string, string)>();
        var current = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Trim().Length > 0)
            {
                var parts = current.Trim().Split(' ', 2);
                instructions.Add((parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : ""));
            }

            current = "";
        }

        return new Dockerfile(Path.GetFileName(path), instructions);
    }

    /// <summary>A COPY instruction: its --from stage (if any), sources and destination.</summary>
    internal sealed record Copy(string? From, IReadOnlyList<string> Sources, string Destination)
    {
        public static Copy Parse(string arguments)
        {
            var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            var from = parts.Where(p => p.StartsWith("--from=", StringComparison.Ordinal)).Select(p => p["--from=".Length..]).SingleOrDefault();
            var paths = parts.Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList();
            return new Copy(from, paths[..^1], paths[^1]);
        }
    }
}
