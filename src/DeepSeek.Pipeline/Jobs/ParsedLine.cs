namespace DeepSeek.Pipeline.Jobs;

/// <summary>One input line after validation: its rows, or why it cannot run.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Model">The model it runs on.</param>
/// <param name="Seed">The seed it asks for, if any.</param>
/// <param name="X">Its rows, row-major; null when invalid.</param>
/// <param name="Rows">Its row count.</param>
/// <param name="Error">Why it is invalid.</param>
/// <param name="Metadata">Its metadata (redacted when the job was accepted).</param>
internal sealed record ParsedLine(int Line, string Model, ulong? Seed, float[]? X, int Rows, string? Error, IReadOnlyDictionary<string, string?>? Metadata = null);
