using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline;

/// <summary>Every log message of the pipeline, source-generated (no payloads, no secrets).</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 1000, EventName = "ModelLoaded", Level = LogLevel.Information, Message = "Loaded model {ModelId} {Version} from {Directory}")]
    public static partial void ModelLoaded(ILogger logger, string modelId, string version, string directory);

    [LoggerMessage(EventId = 1100, EventName = "RequestAccepted", Level = LogLevel.Information, Message = "Accepted request {RequestId} for {ModelId}: {Rows} rows, payload {PayloadKind}")]
    public static partial void RequestAccepted(ILogger logger, string requestId, string modelId, int rows, string payloadKind);

    [LoggerMessage(EventId = 1200, EventName = "Routed", Level = LogLevel.Information, Message = "Routed request {RequestId}: {Activated} experts activated (plan {PlanState})")]
    public static partial void Routed(ILogger logger, string requestId, int activated, string planState);

    [LoggerMessage(EventId = 1300, EventName = "ExpertRan", Level = LogLevel.Debug, Message = "Expert {Expert} ran on {Rows} rows of request {RequestId} (partial {PartialState})")]
    public static partial void ExpertRan(ILogger logger, int expert, int rows, string requestId, string partialState);

    [LoggerMessage(EventId = 1400, EventName = "Aggregated", Level = LogLevel.Information, Message = "Request {RequestId} {Status} (result {ResultState})")]
    public static partial void Aggregated(ILogger logger, string requestId, string status, string resultState);

    [LoggerMessage(EventId = 1401, EventName = "AggregateWaiting", Level = LogLevel.Debug, Message = "Request {RequestId}: {Present} of {Expected} partials present")]
    public static partial void AggregateWaiting(ILogger logger, string requestId, int present, int expected);

    [LoggerMessage(EventId = 1500, EventName = "PoisonRecorded", Level = LogLevel.Warning, Message = "Poison message on {Queue} for request {RequestId}: recorded as failed")]
    public static partial void PoisonRecorded(ILogger logger, string queue, string requestId);

    [LoggerMessage(EventId = 1501, EventName = "PoisonUnreadable", Level = LogLevel.Error, Message = "Poison message on {Queue} could not be read; kept for inspection")]
    public static partial void PoisonUnreadable(ILogger logger, string queue, Exception exception);

    [LoggerMessage(EventId = 1502, EventName = "StageFailed", Level = LogLevel.Warning, Message = "Stage {Stage} failed for request {RequestId}; the message will be retried")]
    public static partial void StageFailed(ILogger logger, string stage, string requestId, Exception exception);

    [LoggerMessage(EventId = 1600, EventName = "JobSplit", Level = LogLevel.Information, Message = "Job {JobId}: {Lines} lines ({Invalid} invalid) in {Chunks} chunks")]
    public static partial void JobSplit(ILogger logger, string jobId, int lines, int invalid, int chunks);

    [LoggerMessage(EventId = 1601, EventName = "JobSubmitted", Level = LogLevel.Information, Message = "Accepted job {JobId} for {ModelId}: {Lines} lines, {Bytes} bytes")]
    public static partial void JobSubmitted(ILogger logger, string jobId, string modelId, int lines, long bytes);

    [LoggerMessage(EventId = 1602, EventName = "JobChunksSubmitted", Level = LogLevel.Information, Message = "Job {JobId}: submitted {Submitted} chunks, skipped {Done} already done")]
    public static partial void JobChunksSubmitted(ILogger logger, string jobId, int submitted, int done);

    [LoggerMessage(EventId = 1603, EventName = "JobNothingToDo", Level = LogLevel.Debug, Message = "Job {JobId}: nothing to submit ({Reason})")]
    public static partial void JobNothingToDo(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 1604, EventName = "JobFailed", Level = LogLevel.Warning, Message = "Job {JobId} failed: {Reason}")]
    public static partial void JobFailed(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 1610, EventName = "JobsRecovered", Level = LogLevel.Information, Message = "Start-up recovery re-drove {Count} unfinished jobs")]
    public static partial void JobsRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 1700, EventName = "AuthConfigured", Level = LogLevel.Information, Message = "Authentication on: {Methods}")]
    public static partial void AuthConfigured(ILogger logger, string methods);

    [LoggerMessage(EventId = 1701, EventName = "AuthDisabled", Level = LogLevel.Warning, Message = "AUTHENTICATION IS OFF (Moe:Auth:Enabled=false): every route answers anyone who can reach this port. Local use only.")]
    public static partial void AuthDisabled(ILogger logger);

    [LoggerMessage(EventId = 1710, EventName = "AccessDenied", Level = LogLevel.Information, Message = "Denied {Route} with {Status} ({Reason}); denial record {DenialId}")]
    public static partial void AccessDenied(ILogger logger, string route, int status, string reason, string denialId);

    [LoggerMessage(EventId = 1711, EventName = "DenialNotRecorded", Level = LogLevel.Error, Message = "The denial record {DenialId} could not be stored; the call was refused all the same")]
    public static partial void DenialNotRecorded(ILogger logger, string denialId, Exception exception);

    [LoggerMessage(EventId = 1720, EventName = "AuthMetadataUnavailable", Level = LogLevel.Warning, Message = "The OpenID metadata {MetadataAddress} cannot be read; bearer tokens are refused until it can")]
    public static partial void AuthMetadataUnavailable(ILogger logger, string metadataAddress, Exception exception);

    [LoggerMessage(EventId = 1800, EventName = "EphemeralPseudonymKey", Level = LogLevel.Warning, Message = "No pseudonym key is configured ({Setting}): a random key is used, so pseudonyms change on restart and differ between instances")]
    public static partial void EphemeralPseudonymKey(ILogger logger, string setting);

    [LoggerMessage(EventId = 1900, EventName = "StatsReleased", Level = LogLevel.Information, Message = "Released usage statistics {ReleaseId} for {Period} at epsilon {Epsilon} ({Spent} of {Total} spent)")]
    public static partial void StatsReleased(ILogger logger, string releaseId, string period, double epsilon, double spent, double total);

    [LoggerMessage(EventId = 1901, EventName = "StatsRefused", Level = LogLevel.Warning, Message = "Refused a release for {Period} at epsilon {Epsilon}: {Spent} of {Total} already spent")]
    public static partial void StatsRefused(ILogger logger, string period, double epsilon, double spent, double total);

    [LoggerMessage(EventId = 2000, EventName = "AuditAppended", Level = LogLevel.Debug, Message = "Audit record {Key} chained at {Partition} #{Seq}")]
    public static partial void AuditAppended(ILogger logger, string key, string partition, long seq);

    [LoggerMessage(EventId = 2001, EventName = "AuditHeadContended", Level = LogLevel.Debug, Message = "Audit chain head {Partition} moved under attempt {Attempt}; retrying")]
    public static partial void AuditHeadContended(ILogger logger, string partition, int attempt);

    [LoggerMessage(EventId = 2010, EventName = "AuditSealed", Level = LogLevel.Information, Message = "Sealed audit partition {Partition} at #{Seq}")]
    public static partial void AuditSealed(ILogger logger, string partition, long seq);

    [LoggerMessage(EventId = 2011, EventName = "AuditSealingOff", Level = LogLevel.Warning, Message = "No audit seal key is configured ({Setting}): chain heads are not sealed, so a truncated tail cannot be detected")]
    public static partial void AuditSealingOff(ILogger logger, string setting);

    [LoggerMessage(EventId = 2012, EventName = "AuditSealFailed", Level = LogLevel.Warning, Message = "Sealing the audit chain heads failed; the next interval retries")]
    public static partial void AuditSealFailed(ILogger logger, Exception exception);
}
