using DeepSeek.Pipeline.Messages;

namespace DeepSeek.Pipeline.Requests;

/// <summary>What ingress accepted: written create-if-absent to <c>state/{id}/request.json</c> and carried by the gate message.</summary>
public sealed record RequestRecord
{
    /// <summary>Gets the request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>Gets the model id the caller asked for.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the routing noise seed (the caller's, or drawn at ingress).</summary>
    public required ulong Seed { get; init; }

    /// <summary>Gets the number of input rows.</summary>
    public required int Rows { get; init; }

    /// <summary>Gets the row width.</summary>
    public required int Cols { get; init; }

    /// <summary>Gets the lowercase hex SHA-256 of the input as little-endian float32, row-major.</summary>
    public required string InputSha256 { get; init; }

    /// <summary>Gets where the input is.</summary>
    public required PayloadRef Payload { get; init; }

    /// <summary>Gets when ingress accepted the request.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Gets the caller's pseudonym (<see cref="Privacy.Pseudonymizer.Caller"/>; null for anonymous local use). Never the raw caller id.</summary>
    public string? Caller { get; init; }

    /// <summary>Gets the caller's tenant as authenticated at ingress, in clear; only that tenant reads the request (null: Admin only, or authentication off).</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets the batch job this request is a chunk of, if any.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the chunk index within the job, if any.</summary>
    public int? Chunk { get; init; }

    /// <summary>Gets the caller's metadata after redaction (<see cref="Privacy.Redactor"/>); job chunks: keys <c>{line}/{key}</c>.</summary>
    public SortedDictionary<string, string>? Metadata { get; init; }
}
