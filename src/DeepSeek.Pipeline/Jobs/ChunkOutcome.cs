namespace DeepSeek.Pipeline.Jobs;

/// <summary>The completion marker of one job chunk (<c>jobs/{job}/done/{chunk}.json</c>, create-if-absent).</summary>
/// <param name="Chunk">The chunk index.</param>
/// <param name="RequestId">The chunk's request id.</param>
/// <param name="Status">succeeded or failed.</param>
/// <param name="Rows">The output rows (0 when failed).</param>
/// <param name="Error">Why it failed.</param>
public sealed record ChunkOutcome(int Chunk, string RequestId, string Status, int Rows, string? Error);
