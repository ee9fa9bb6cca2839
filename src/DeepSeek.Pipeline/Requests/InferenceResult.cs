using DeepSeek.Pipeline.Messages;

namespace DeepSeek.Pipeline.Requests;

/// <summary>The stored outcome of a request (<c>results/{id}.json</c>), success or failure, written create-if-absent.</summary>
public sealed record InferenceResult
{
    /// <summary>Gets the request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>Gets <see cref="RequestStatus.Succeeded"/> or <see cref="RequestStatus.Failed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets the model, when known.</summary>
    public ModelRef? Model { get; init; }

    /// <summary>Gets the seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Gets the outputs, row-major rows.</summary>
    public float[][]? Outputs { get; init; }

    /// <summary>Gets the routing per row.</summary>
    public RowRouting[]? Routing { get; init; }

    /// <summary>Gets why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the job and chunk, when part of a job.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the chunk index, when part of a job.</summary>
    public int? Chunk { get; init; }

    /// <summary>Gets when the result was stored.</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
