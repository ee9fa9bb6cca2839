using System.Security.Cryptography;
using DeepSeek.Pipeline.Privacy;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// Keeps a request's input for its audit record as <c>Privacy:InputPolicy</c> says: the hash only, the exact tensor,
/// or the tensor plus noise (always with the hash of the original). The kept tensor is a blob beside the record
/// (create-if-absent: a stage that runs twice keeps the first draw of noise), and the record holds its SHA-256, so
/// the chain covers it too.
/// </summary>
public sealed class AuditInputKeeper(PipelineStorage storage, PayloadReader payloads, IOptions<PrivacyOptions> options)
{
    private readonly PrivacyOptions _options = options.Value;

    /// <summary>Describes (and under full or noised, stores) a request's input.</summary>
    /// <param name="request">The request, or null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The input description, or null without a request.</returns>
    public async Task<AuditInput?> KeepAsync(RequestRecord? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return null;
        }

        var hashOnly = new AuditInput(request.InputSha256, request.Rows, request.Cols, "hash");
        if (_options.InputPolicy == InputPolicy.Hash)
        {
            return hashOnly;
        }

        float[] x;
        try
        {
            x = await payloads.ReadAsync(request.Payload, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            // A poisoned request whose payload is gone: the hash is all there is to keep.
            return hashOnly;
        }

        bool noised = _options.InputPolicy == InputPolicy.Noised;
        if (noised)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] += (float)NoiseSampler.Draw(_options.InputNoise, _options.InputNoiseScale);
            }
        }

        var container = storage.Layout.AuditLogContainer;
        var blob = StorageLayout.AuditInputBlob(request.RequestId);
        var bytes = FloatPayload.ToBytes(x);
        if (!await storage.TryCreateAsync(container, blob, BinaryData.FromBytes(bytes), cancellationToken).ConfigureAwait(false))
        {
            bytes = (await storage.TryReadAsync(container, blob, cancellationToken).ConfigureAwait(false))?.ToArray() ?? bytes;
        }

        return noised
            ? new AuditInput(request.InputSha256, request.Rows, request.Cols, "noised", blob, Convert.ToHexStringLower(SHA256.HashData(bytes)),
                _options.InputNoise == NoiseKind.Gaussian ? "gaussian" : "laplace", _options.InputNoiseScale)
            : new AuditInput(request.InputSha256, request.Rows, request.Cols, "full", blob, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
