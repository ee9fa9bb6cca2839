namespace DeepSeek.Pipeline.Audit;

/// <summary>The input of an audited request: its SHA-256 and shape, and what of it is kept (<c>Privacy:InputPolicy</c>).</summary>
/// <param name="Sha256">SHA-256 of the rows as little-endian float32, row-major.</param>
/// <param name="Rows">Rows.</param>
/// <param name="Cols">Columns.</param>
/// <param name="Policy"><c>hash</c> (nothing else kept), <c>full</c> or <c>noised</c>; absent in schema 1 (hash).</param>
/// <param name="Blob">The audit-log-container blob holding the kept tensor (full or noised), little-endian float32.</param>
/// <param name="BlobSha256">SHA-256 of that blob (equal to <paramref name="Sha256"/> under full).</param>
/// <param name="Noise">The noise added under noised: <c>laplace</c> or <c>gaussian</c>.</param>
/// <param name="NoiseScale">Its scale (Laplace b, Gaussian sigma).</param>
public sealed record AuditInput(string Sha256, int Rows, int Cols, string? Policy = null, string? Blob = null, string? BlobSha256 = null, string? Noise = null, double? NoiseScale = null);
