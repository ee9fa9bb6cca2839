namespace DeepSeek.Pipeline.Http;

/// <summary>What an API operation answers, independent of the host.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Body">The body.</param>
/// <param name="Location">A Location header, if any.</param>
/// <param name="WwwAuthenticate">A WWW-Authenticate challenge (401), if any.</param>
public sealed record ApiResponse(int StatusCode, string ContentType, BinaryData Body, string? Location = null, string? WwwAuthenticate = null);
