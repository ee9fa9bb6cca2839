namespace DeepSeek.Pipeline.Audit;

/// <summary>The input of an audited request: its SHA-256 and shape (the values themselves are not stored here).</summary>
/// <param name="Sha256">SHA-256 of the rows as little-endian float32, row-major.</param>
/// <param name="Rows">Rows.</param>
/// <param name="Cols">Columns.</param>
public sealed record AuditInput(string Sha256, int Rows, int Cols);
