namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// How a job was split (<c>jobs/{job}/manifest.json</c>, create-if-absent): a redelivered job message reuses it,
/// so chunking and seeds never change once written.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Lines">The number of input lines.</param>
/// <param name="Chunks">The chunks, by index.</param>
/// <param name="Errors">The lines that were not sent, ascending.</param>
/// <param name="SplitAt">When it was split.</param>
internal sealed record JobManifest(string JobId, int Lines, JobChunk[] Chunks, JobLineError[] Errors, DateTimeOffset SplitAt);
