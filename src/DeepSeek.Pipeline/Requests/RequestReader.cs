using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Requests;

/// <summary>Reads a request's status, result and audit record, and waits for results.</summary>
public sealed class RequestReader(PipelineStorage storage, TimeProvider time)
{
    /// <summary>Gets the status of a request.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The view, or null when no such request was accepted.</returns>
    public async Task<RequestView?> StatusAsync(string requestId, CancellationToken cancellationToken)
    {
        if (await ResultAsync(requestId, cancellationToken).ConfigureAwait(false) is { } result)
        {
            return View(result);
        }

        var state = storage.Layout.StateContainer;
        if (await storage.ExistsAsync(state, StorageLayout.PlanBlob(requestId), cancellationToken).ConfigureAwait(false))
        {
            return new RequestView(requestId, RequestStatus.Running, null, null);
        }

        return await storage.ExistsAsync(state, StorageLayout.RequestBlob(requestId), cancellationToken).ConfigureAwait(false)
            ? new RequestView(requestId, RequestStatus.Queued, null, null)
            : null;
    }

    /// <summary>Gets whom a request belongs to, from its request record (written at ingress, before anything else).</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The owner (with a null tenant for records written before access control), or null when no such request was accepted.</returns>
    public async Task<RequestOwner?> OwnerAsync(string requestId, CancellationToken cancellationToken)
    {
        var data = await storage.TryReadAsync(storage.Layout.StateContainer, StorageLayout.RequestBlob(requestId), cancellationToken).ConfigureAwait(false);
        if (data is null)
        {
            return null;
        }

        var record = MessageJson.Read(data.ToString(), PipelineJsonContext.Default.RequestRecord);
        return new RequestOwner(record.Tenant, record.Caller);
    }

    /// <summary>Gets a request's stored result.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result, or null when there is none yet.</returns>
    public async Task<InferenceResult?> ResultAsync(string requestId, CancellationToken cancellationToken)
    {
        var data = await storage.TryReadAsync(storage.Layout.ResultsContainer, StorageLayout.ResultBlob(requestId), cancellationToken).ConfigureAwait(false);
        return data is null ? null : MessageJson.Read(data.ToString(), PipelineJsonContext.Default.InferenceResult);
    }

    /// <summary>Gets a request's audit record as stored (JSON).</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record, or null when there is none.</returns>
    public Task<BinaryData?> AuditAsync(string requestId, CancellationToken cancellationToken) =>
        storage.TryReadAsync(storage.Layout.AuditContainer, StorageLayout.AuditBlob(requestId), cancellationToken);

    /// <summary>
    /// Gets a finished request's audit record, waiting up to <paramref name="wait"/> when the result is stored but the
    /// record is still being appended (it is written after the result).
    /// </summary>
    /// <param name="requestId">The request.</param>
    /// <param name="wait">How long to wait for a finished request's record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record, or null when there is none (no such request, not finished, or still not written).</returns>
    public async Task<BinaryData?> AuditAsync(string requestId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        var record = await AuditAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (record is not null || await ResultAsync(requestId, cancellationToken).ConfigureAwait(false) is null)
        {
            return record;
        }

        while (record is null && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            record = await AuditAsync(requestId, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>Polls for a result until it is stored or the timeout passes (backing off from 20 ms to 250 ms).</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The result, or null on timeout.</returns>
    public async Task<InferenceResult?> WaitAsync(string requestId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await ResultAsync(requestId, cancellationToken).ConfigureAwait(false) is { } result)
            {
                return result;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < delay ? left : delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 1.5));
        }
    }

    /// <summary>Turns a stored result into the status view.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The view.</returns>
    public static RequestView View(InferenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status == RequestStatus.Succeeded
            ? new RequestView(result.RequestId, result.Status, result, null)
            : new RequestView(result.RequestId, result.Status, null, result.Error);
    }
}
