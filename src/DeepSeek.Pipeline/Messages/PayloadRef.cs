namespace DeepSeek.Pipeline.Messages;

/// <summary>Where a message's input rows are: inline (base64 of little-endian float32, row-major) or in a claim-check blob.</summary>
/// <param name="Inline">Base64 float32 rows, or null.</param>
/// <param name="Blob">The payloads-container blob holding the request's full input, or null.</param>
public sealed record PayloadRef(string? Inline, string? Blob);
