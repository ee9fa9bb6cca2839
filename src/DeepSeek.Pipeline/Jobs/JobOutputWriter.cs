using System.Text.Json;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// Writes a finished job's output: merges the manifest's invalid lines with its chunks' results by line number,
/// reading a few chunk results ahead, and checks that every line 1..N is written exactly once, in order.
/// </summary>
internal sealed class JobOutputWriter(PipelineStorage storage, JobManifest manifest)
{
    private const int ReadAhead = 8;
    private const int FlushBytes = 1 << 20;
    private readonly MemoryStream _buffer = new();
    private int _next = 1;

    public async Task WriteAsync(Stream destination, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chunks = manifest.Chunks;
        var reads = new Task<InferenceResult?>?[chunks.Length];
        try
        {
            int error = 0;
            for (int c = 0; c < chunks.Length; c++)
            {
                for (int ahead = c; ahead < Math.Min(chunks.Length, c + ReadAhead); ahead++)
                {
                    reads[ahead] ??= ReadResultAsync(chunks[ahead].Index, cts.Token);
                }

                var result = await reads[c]!.ConfigureAwait(false);
                reads[c] = null;
                var chunk = chunks[c];
                int offset = 0;
                for (int i = 0; i < chunk.Lines.Length; i++)
                {
                    for (; error < manifest.Errors.Length && manifest.Errors[error].Line < chunk.Lines[i]; error++)
                    {
                        Write(new JobOutputLine(manifest.Errors[error].Line, null, null, manifest.Errors[error].Error));
                    }

                    Write(LineOf(chunk, chunk.Lines[i], offset, chunk.Rows[i], result));
                    offset += chunk.Rows[i];
                }

                await FlushAsync(destination, FlushBytes, ct).ConfigureAwait(false);
            }

            for (; error < manifest.Errors.Length; error++)
            {
                Write(new JobOutputLine(manifest.Errors[error].Line, null, null, manifest.Errors[error].Error));
            }

            if (_next - 1 != manifest.Lines)
            {
                throw new InvalidDataException($"Job {manifest.JobId}: the output accounts for {_next - 1} lines, the input holds {manifest.Lines}.");
            }

            await FlushAsync(destination, 0, ct).ConfigureAwait(false);
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await _buffer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static JobOutputLine LineOf(JobChunk chunk, int line, int offset, int rows, InferenceResult? result)
    {
        if (result is null)
        {
            return new JobOutputLine(line, null, null, $"Chunk {chunk.Index} is marked done but has no stored result.");
        }

        if (result.Status != RequestStatus.Succeeded)
        {
            return new JobOutputLine(line, null, null, $"The chunk holding this line (request {result.RequestId}) failed: {result.Error ?? "no reason recorded"}");
        }

        int expected = chunk.Rows.Sum();
        if (result.Outputs is not { } outputs || outputs.Length != expected || (result.Routing is { } r && r.Length != expected))
        {
            return new JobOutputLine(line, null, null, $"The result of chunk {chunk.Index} holds {result.Outputs?.Length ?? 0} rows; the chunk has {expected}.");
        }

        return new JobOutputLine(line, outputs[offset..(offset + rows)], result.Routing?[offset..(offset + rows)], null);
    }

    private async Task<InferenceResult?> ReadResultAsync(int chunk, CancellationToken ct)
    {
        var name = StorageLayout.ResultBlob(StorageLayout.ChunkRequestId(manifest.JobId, chunk));
        var data = await storage.TryReadAsync(storage.Layout.ResultsContainer, name, ct).ConfigureAwait(false);
        return data is null ? null : MessageJson.Read(data.ToString(), PipelineJsonContext.Default.InferenceResult);
    }

    private void Write(JobOutputLine line)
    {
        if (line.Line != _next)
        {
            throw new InvalidDataException($"Job {manifest.JobId}: line {line.Line} would be written where line {_next} belongs; the manifest is out of order.");
        }

        _next++;
        JsonSerializer.Serialize(_buffer, line, JobJsonContext.Default.JobOutputLine);
        _buffer.WriteByte((byte)'\n');
    }

    private async Task FlushAsync(Stream destination, int atLeast, CancellationToken ct)
    {
        if (_buffer.Length > atLeast)
        {
            await destination.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct).ConfigureAwait(false);
            _buffer.SetLength(0);
        }
    }
}
