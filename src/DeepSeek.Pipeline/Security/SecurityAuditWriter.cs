using Azure;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// The one writer of security audit records (denials) into the audit container, create-if-absent under a fresh id.
/// A refusal stands even when its record cannot be stored: the failure is logged as an error, never answered as a 500.
/// A caller that hangs up does not cancel the record of its refusal.
/// </summary>
public sealed class SecurityAuditWriter(PipelineStorage storage, TimeProvider time, ILogger<SecurityAuditWriter> logger)
{
    /// <summary>Stamps a denial with its id and time and stores it.</summary>
    /// <param name="denial">What was refused and why.</param>
    /// <returns>The record as stamped.</returns>
    public async Task<DenialRecord> WriteDenialAsync(DenialRecord denial)
    {
        ArgumentNullException.ThrowIfNull(denial);
        var record = denial with { Id = "deny-" + Guid.NewGuid().ToString("N"), At = time.GetUtcNow() };
        PipelineLog.AccessDenied(logger, record.Route, record.Status, record.Reason, record.Id);
        try
        {
            await storage.TryCreateAsync(storage.Layout.AuditContainer, StorageLayout.DenialBlob(record.At, record.Id),
                MessageJson.Write(record, SecurityJsonContext.Default.DenialRecord), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            PipelineLog.DenialNotRecorded(logger, record.Id, ex);
        }

        return record;
    }
}
