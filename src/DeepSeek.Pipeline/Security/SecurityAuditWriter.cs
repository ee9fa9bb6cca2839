using System.Text.Json;
using Azure;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Privacy;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// The one writer of security audit records (denials): each is stamped with a fresh id (<see cref="StorageLayout.DenialPrefix"/>
/// and 32 hex digits) and appended through <see cref="AuditLog"/>, so it is hash-chained, sealed and verified like a
/// request's record and is stored as <c>{id}.json</c> in the audit container. The caller is stored only as its
/// pseudonym (<see cref="Pseudonymizer.Caller"/>); the tenant stays in clear.
/// A refusal stands even when its record cannot be stored: the failure is logged as an error, never answered as a 500.
/// A caller that hangs up does not cancel the record of its refusal.
/// </summary>
public sealed class SecurityAuditWriter(AuditLog audit, Pseudonymizer pseudonyms, TimeProvider time, ILogger<SecurityAuditWriter> logger)
{
    /// <summary>Stamps a denial with its id and time, pseudonymizes its caller, and appends it to the audit chain.</summary>
    /// <param name="denial">What was refused and why (with the caller as authenticated).</param>
    /// <returns>The record as stored.</returns>
    public async Task<DenialRecord> WriteDenialAsync(DenialRecord denial)
    {
        ArgumentNullException.ThrowIfNull(denial);
        var record = denial with
        {
            Id = StorageLayout.DenialPrefix + Guid.NewGuid().ToString("N"),
            At = time.GetUtcNow(),
            Caller = pseudonyms.Caller(denial.Caller),
        };
        PipelineLog.AccessDenied(logger, record.Route, record.Status, record.Reason, record.Id);
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(record, SecurityJsonContext.Default.DenialRecord);
            await audit.AppendAsync(audit.Partition(record.At, record.Id), record.Id, payload, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or TimeoutException)
        {
            PipelineLog.DenialNotRecorded(logger, record.Id, ex);
        }

        return record;
    }
}
