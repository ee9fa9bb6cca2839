using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Requests;

/// <summary>Resolves a <see cref="PayloadRef"/> to rows: inline text, or the claim-check blob.</summary>
public sealed class PayloadReader(PipelineStorage storage)
{
    /// <summary>Reads the rows a payload reference points at.</summary>
    /// <param name="payload">The reference.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Row-major values.</returns>
    /// <exception cref="InvalidDataException">The reference is empty or the blob is gone.</exception>
    public async Task<float[]> ReadAsync(PayloadRef payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Inline is { } inline)
        {
            return FloatPayload.FromBase64(inline);
        }

        if (payload.Blob is not { } blob)
        {
            throw new InvalidDataException("The payload reference holds neither inline rows nor a blob.");
        }

        var data = await storage.TryReadAsync(storage.Layout.PayloadsContainer, blob, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The claim-check payload blob '{blob}' does not exist.");
        return FloatPayload.FromBytes(data.ToMemory().Span);
    }
}
