namespace DeepSeek.Pipeline.Http;

/// <summary>Reads a request body into memory, refusing bodies past the limit before they are buffered whole.</summary>
internal static class BodyReader
{
    public static async Task<byte[]?> ReadAsync(Stream body, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
