using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Privacy;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Security;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Http;

/// <summary>
/// The HTTP contract's logic, shared by the Functions app and the worker: validation before anything is
/// queued, RFC 7807 errors, synchronous wait with a timeout (202 past it, or at once with <c>?mode=async</c>), the
/// model allow lists, and tenant isolation of reads. Callers arrive authenticated (<see cref="AccessControl.AuthorizeAsync"/>).
/// </summary>
public sealed partial class InferenceApi(ModelRegistry models, InferenceSubmitter submitter, RequestReader reader, AccessControl access, Redactor redactor, Pseudonymizer pseudonyms, IOptions<PipelineOptions> options)
{
    private readonly PipelineOptions _options = options.Value;

    /// <summary><c>POST /api/v1/infer</c>.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="asyncMode">True for <c>?mode=async</c>: answer 202 at once.</param>
    /// <param name="caller">The authenticated caller; the request is recorded as its tenant's, with the caller only as its pseudonym.</param>
    /// <param name="baseUrl">The scheme and host for status URLs (for example <c>http://localhost:7071</c>).</param>
    /// <param name="cancellationToken">Cancels the call (not the queued work).</param>
    /// <returns>200 with outputs and routing, 202, 400, 403 (model not allowed), 413 or 500.</returns>
    public async Task<ApiResponse> InferAsync(Stream body, bool asyncMode, CallerIdentity caller, string baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(caller);
        var bytes = await BodyReader.ReadAsync(body, _options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return Problems.TooLarge($"The body exceeds {_options.MaxRequestBytes} bytes; send large batches as a job (POST /api/v1/jobs).");
        }

        InferRequestBody? request;
        try
        {
            request = JsonSerializer.Deserialize(bytes, HttpJsonContext.Default.InferRequestBody);
        }
        catch (JsonException ex)
        {
            return Problems.MalformedJson($"{ex.Message} Expected {{\"model\":\"<id>\",\"inputs\":[[...],...],\"options\":{{\"seed\":N}}}}.");
        }

        if (request?.Model is not { Length: > 0 } modelId)
        {
            return Problems.UnknownModel("The body names no model (\"model\":\"<id>\").");
        }

        if (!models.TryGet(modelId, out var bundle))
        {
            return Problems.UnknownModel($"Model '{modelId}' is not served here; known models: {string.Join(", ", models.Bundles.Select(b => b.Manifest.Id).Order())}.");
        }

        if (await access.CheckModelAsync(caller, MoeRoutes.Infer, modelId).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        float[] x;
        SortedDictionary<string, string>? metadata;
        try
        {
            x = InputMatrix.Flatten(request.Inputs, bundle.Manifest.DModel, _options.MaxRowsPerRequest);
            metadata = redactor.CheckAndRedact(request.Metadata, "metadata");
        }
        catch (InvalidInputException ex)
        {
            return Problems.InvalidInput(ex.Message, ex.Field);
        }

        int rows = request.Inputs!.Length;
        ulong seed = request.Options?.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var requestId = NewRequestId();
        await submitter.SubmitAsync(requestId, modelId, x, rows, bundle.Manifest.DModel, seed, caller.RecordedOwner(pseudonyms), null, null, metadata, cancellationToken).ConfigureAwait(false);

        var result = asyncMode ? null : await reader.WaitAsync(requestId, _options.SyncWaitTimeout, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            var status = asyncMode ? RequestStatus.Queued : (await reader.StatusAsync(requestId, cancellationToken).ConfigureAwait(false))?.Status ?? RequestStatus.Queued;
            var statusUrl = $"{baseUrl.TrimEnd('/')}/api/v1/requests/{requestId}";
            return Json(202, new AcceptedBody(requestId, status, statusUrl), HttpJsonContext.Default.AcceptedBody, statusUrl);
        }

        return result.Status == RequestStatus.Succeeded
            ? Json(200, new InferResponseBody(requestId, result.Model!, result.Seed ?? seed, result.Outputs!, result.Routing!), HttpJsonContext.Default.InferResponseBody)
            : Problems.InferenceFailed(result.Error ?? "The pipeline recorded a failure.", requestId);
    }

    /// <summary><c>GET /api/v1/requests/{id}</c>.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="caller">The authenticated caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>200 with the status (and result or error), or 404 (no such request, or another tenant's).</returns>
    public async Task<ApiResponse> GetRequestAsync(string requestId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var notFound = Problems.NotFound($"No request '{requestId}'.");
        if (!IsValidId(requestId))
        {
            return Problems.NotFound($"'{requestId}' is not a request id.");
        }

        if (!await CanReadAsync(caller, MoeRoutes.GetRequest, requestId, cancellationToken).ConfigureAwait(false))
        {
            return notFound;
        }

        var view = await reader.StatusAsync(requestId, cancellationToken).ConfigureAwait(false);
        return view is null ? notFound : Json(200, view, HttpJsonContext.Default.RequestView);
    }

    /// <summary><c>GET /api/v1/requests/{id}/audit</c>.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="caller">The authenticated caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>200 with the audit record as stored, or 404 (none yet, no such request, or another tenant's).</returns>
    public async Task<ApiResponse> GetAuditAsync(string requestId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var notFound = Problems.NotFound($"No audit record for '{requestId}' (no such request, or it has not finished).");
        // Denial records share the audit container (and the chain) with requests' records, but are not requests'.
        if (!IsValidId(requestId) || requestId.StartsWith(StorageLayout.DenialPrefix, StringComparison.Ordinal))
        {
            return Problems.NotFound($"'{requestId}' is not a request id.");
        }

        if (!await CanReadAsync(caller, MoeRoutes.GetAudit, requestId, cancellationToken).ConfigureAwait(false))
        {
            return notFound;
        }

        // A finished request's record follows its result by a few storage calls: wait for it briefly.
        var audit = await reader.AuditAsync(requestId, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        return audit is null ? notFound : new ApiResponse(200, "application/json", audit);
    }

    /// <summary><c>GET /api/v1/health</c>.</summary>
    /// <returns>200 with the models served.</returns>
    public ApiResponse Health() =>
        Json(200, new HealthBody("ok", [.. models.Bundles.Select(b => $"{b.Manifest.Id}@{b.Manifest.Version}").Order()]), HttpJsonContext.Default.HealthBody);

    /// <summary>Tells whether a path id is a well-formed request or job id (also keeps ids safe as blob names).</summary>
    /// <param name="id">The id.</param>
    /// <returns>True when well-formed.</returns>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    internal static ApiResponse Json<T>(int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string? location = null) =>
        new(status, "application/json", BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, type)), location);

    private async Task<bool> CanReadAsync(CallerIdentity caller, string route, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var owner = caller.AuthenticationDisabled ? null : await reader.OwnerAsync(requestId, cancellationToken).ConfigureAwait(false);
        return await access.CanReadAsync(caller, route, requestId, owner).ConfigureAwait(false);
    }

    private static string NewRequestId() => "req-" + Guid.NewGuid().ToString("N");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex IdPattern();
}
