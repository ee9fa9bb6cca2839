using System.Globalization;
using DeepSeek.Pipeline.Configuration;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Storage;

/// <summary>The names of every queue, container and blob the pipeline uses; one place, derived from the prefix.</summary>
public sealed class StorageLayout
{
    /// <summary>The suffix of a queue's poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>Initializes a layout from options.</summary>
    /// <param name="options">The pipeline options.</param>
    public StorageLayout(IOptions<PipelineOptions> options)
        : this(options?.Value.Prefix ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Initializes a layout for a prefix.</summary>
    /// <param name="prefix">The prefix (for example <c>moe</c>).</param>
    public StorageLayout(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        Prefix = prefix;
    }

    /// <summary>Gets the prefix.</summary>
    public string Prefix { get; }

    /// <summary>Gets the gate queue.</summary>
    public string GateQueue => $"{Prefix}-gate";

    /// <summary>Gets the aggregate queue.</summary>
    public string AggregateQueue => $"{Prefix}-aggregate";

    /// <summary>Gets the batch job queue.</summary>
    public string JobsQueue => $"{Prefix}-jobs";

    /// <summary>Gets the container of claim-checked payloads.</summary>
    public string PayloadsContainer => $"{Prefix}-payloads";

    /// <summary>Gets the container of request records, routing plans and expert partials.</summary>
    public string StateContainer => $"{Prefix}-state";

    /// <summary>Gets the container of results.</summary>
    public string ResultsContainer => $"{Prefix}-results";

    /// <summary>Gets the container of audit records.</summary>
    public string AuditContainer => $"{Prefix}-audit";

    /// <summary>Gets the container of batch job inputs, manifests and progress.</summary>
    public string JobsContainer => $"{Prefix}-jobs";

    /// <summary>
    /// Gets the container of the audit log's structure, beside the records in <see cref="AuditContainer"/>: chain heads,
    /// the chain index, seals, and inputs kept under the full or noised input policy.
    /// </summary>
    public string AuditLogContainer => $"{Prefix}-auditlog";

    /// <summary>Gets the container of published usage statistics and their privacy budget ledgers.</summary>
    public string StatsContainer => $"{Prefix}-stats";

    /// <summary>Gets every container.</summary>
    public IReadOnlyList<string> Containers => [PayloadsContainer, StateContainer, ResultsContainer, AuditContainer, AuditLogContainer, JobsContainer, StatsContainer];

    /// <summary>Gets the queue of an expert shard.</summary>
    /// <param name="shard">The shard.</param>
    /// <returns>The queue name.</returns>
    public string ExpertQueue(int shard) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}-expert-{shard}");

    /// <summary>Gets the poison queue of a queue.</summary>
    /// <param name="queue">The queue.</param>
    /// <returns>Its poison queue.</returns>
    public static string Poison(string queue) => queue + PoisonSuffix;

    /// <summary>Gets every work queue for the given shards (without poison queues).</summary>
    /// <param name="shards">The expert shards.</param>
    /// <returns>The queue names.</returns>
    public IReadOnlyList<string> WorkQueues(IEnumerable<int> shards) =>
        [GateQueue, .. shards.Distinct().Order().Select(ExpertQueue), AggregateQueue, JobsQueue];

    /// <summary>Gets the request record blob (state container).</summary>
    public static string RequestBlob(string requestId) => $"{requestId}/request.json";

    /// <summary>Gets the routing plan blob (state container).</summary>
    public static string PlanBlob(string requestId) => $"{requestId}/plan.json";

    /// <summary>Gets the prefix of a request's partial blobs (state container).</summary>
    public static string PartialPrefix(string requestId) => $"{requestId}/partial/";

    /// <summary>Gets one expert's partial output blob (state container).</summary>
    public static string PartialBlob(string requestId, int expert) =>
        string.Create(CultureInfo.InvariantCulture, $"{requestId}/partial/{expert:D4}.bin");

    /// <summary>Gets the claim-checked payload blob (payloads container).</summary>
    public static string PayloadBlob(string requestId) => $"{requestId}.bin";

    /// <summary>Gets the result blob (results container).</summary>
    public static string ResultBlob(string requestId) => $"{requestId}.json";

    /// <summary>Gets the audit record blob (audit container): a request id, or any other record key.</summary>
    public static string AuditBlob(string requestId) => $"{requestId}.json";

    /// <summary>
    /// The start of every denial record's key: a refused call is recorded as <c>deny-{32 hex}.json</c> in the audit
    /// container, chained by <see cref="Audit.AuditLog"/> like a request's record (its place in the chain index,
    /// <c>chain/{yyyyMMddTHH-shard}/{seq}-deny-{32 hex}</c> in the audit log container, files it by UTC hour).
    /// </summary>
    public const string DenialPrefix = "deny-";

    /// <summary>Gets the stored input of an audit record under the full or noised input policy (audit log container).</summary>
    public static string AuditInputBlob(string key) => $"inputs/{key}.bin";

    /// <summary>The prefix of the audit chain heads (audit log container).</summary>
    public const string AuditHeadPrefix = "heads/";

    /// <summary>Gets the head of an audit chain partition (audit log container): its last sequence number, hash and record.</summary>
    public static string AuditHeadBlob(string partition) => $"{AuditHeadPrefix}{partition}.json";

    /// <summary>The prefix of the audit chain index (audit log container).</summary>
    public const string AuditChainPrefix = "chain/";

    /// <summary>Gets the prefix of one partition's chain index (audit log container).</summary>
    public static string AuditChainPartitionPrefix(string partition) => $"{AuditChainPrefix}{partition}/";

    /// <summary>Gets an (empty) chain index entry: the name alone says which record holds which place (audit log container).</summary>
    public static string AuditChainEntry(string partition, long seq, string key) =>
        string.Create(CultureInfo.InvariantCulture, $"{AuditChainPrefix}{partition}/{seq:D10}-{key}");

    /// <summary>Gets the prefix of one partition's seals (audit log container).</summary>
    public static string AuditSealPrefix(string partition) => $"seals/{partition}/";

    /// <summary>Gets the seal of a partition's head at a sequence number (audit log container).</summary>
    public static string AuditSealBlob(string partition, long seq) =>
        string.Create(CultureInfo.InvariantCulture, $"seals/{partition}/{seq:D10}.json");

    /// <summary>Gets the privacy budget ledger of a statistics period (stats container).</summary>
    public static string StatsLedgerBlob(string period) => $"ledger/{period}.json";

    /// <summary>Gets the prefix of a period's published releases (stats container).</summary>
    public static string StatsReleasePrefix(string period) => $"releases/{period}/";

    /// <summary>Gets one published release (stats container).</summary>
    public static string StatsReleaseBlob(string period, string releaseId) => $"releases/{period}/{releaseId}.json";

    /// <summary>Gets a job's input blob (jobs container).</summary>
    public static string JobInputBlob(string jobId) => $"{jobId}/input.jsonl";

    /// <summary>Gets a job's record (model, caller, line count) blob (jobs container).</summary>
    public static string JobRecordBlob(string jobId) => $"{jobId}/job.json";

    /// <summary>Gets the prefix of the markers of jobs not yet seen finished (jobs container).</summary>
    public const string JobPendingPrefix = "pending/";

    /// <summary>Gets a job's pending marker (jobs container): present from submission until recovery sees it finished.</summary>
    public static string JobPendingBlob(string jobId) => JobPendingPrefix + jobId;

    /// <summary>Gets a job's manifest blob (jobs container).</summary>
    public static string JobManifestBlob(string jobId) => $"{jobId}/manifest.json";

    /// <summary>Gets a job's failure record (jobs container).</summary>
    public static string JobFailedBlob(string jobId) => $"{jobId}/failed.json";

    /// <summary>Gets the prefix of a job's chunk completion markers (jobs container).</summary>
    public static string JobDonePrefix(string jobId) => $"{jobId}/done/";

    /// <summary>Gets a chunk's completion marker (jobs container).</summary>
    public static string JobDoneBlob(string jobId, int chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{jobId}/done/{chunk:D6}.json");

    /// <summary>Gets the request id of a job chunk.</summary>
    public static string ChunkRequestId(string jobId, int chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{jobId}-c{chunk:D6}");
}
