namespace DeepSeek.Pipeline.Jobs;

/// <summary>One gate request of a job: whole lines, in input order.</summary>
/// <param name="Index">The chunk index (its request id is <c>StorageLayout.ChunkRequestId</c>).</param>
/// <param name="Model">The model of every line in it.</param>
/// <param name="Seed">The routing seed.</param>
/// <param name="Lines">The 1-based line numbers, ascending.</param>
/// <param name="Rows">The row count of each line, parallel to <paramref name="Lines"/>.</param>
internal sealed record JobChunk(int Index, string Model, ulong Seed, int[] Lines, int[] Rows);
