using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>One line of a job's output: outputs and routing, or an error.</summary>
/// <param name="Line">The 1-based input line number.</param>
/// <param name="Outputs">The line's output rows.</param>
/// <param name="Routing">The routing of each row.</param>
/// <param name="Error">Why the line has no output.</param>
internal sealed record JobOutputLine(int Line, float[][]? Outputs, RowRouting[]? Routing, string? Error);
