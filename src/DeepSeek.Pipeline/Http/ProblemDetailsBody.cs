namespace DeepSeek.Pipeline.Http;

/// <summary>An RFC 7807 problem: <c>application/problem+json</c>.</summary>
/// <param name="Type">A URI naming the problem kind.</param>
/// <param name="Title">A short summary of the kind.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What went wrong for this request.</param>
/// <param name="Field">The offending field, where one can be named (for example <c>inputs[3][17]</c>).</param>
/// <param name="RequestId">The request, where one exists.</param>
public sealed record ProblemDetailsBody(string Type, string Title, int Status, string Detail, string? Field = null, string? RequestId = null);
