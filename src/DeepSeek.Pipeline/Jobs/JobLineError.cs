namespace DeepSeek.Pipeline.Jobs;

/// <summary>A line that was not sent: why.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Error">The reason.</param>
internal sealed record JobLineError(int Line, string Error);
