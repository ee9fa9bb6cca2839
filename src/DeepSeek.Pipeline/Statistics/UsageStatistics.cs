using System.Globalization;
using System.Text.Json;
using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Privacy;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Statistics;

/// <summary>
/// Publishes per-model request counts and per-expert activation counts of a UTC day, made epsilon-differentially
/// private by the Laplace or discrete Laplace mechanism with noise from the cryptographic generator.
/// <para>
/// The unit of privacy is one request. The source is the day's chained audit records. One request adds 1 to its
/// model's request count and 1 to the count of each expert it activated, for at most <see cref="StatsOptions.ExpertClip"/>
/// experts, so adding or removing one request changes the released vector by at most 1 + clip in L1 norm: that is the
/// sensitivity, and every count gets noise of scale (1 + clip) / epsilon. The released domain is every model served
/// here and all its experts, whether used or not, so the list itself reveals nothing. Before any noise is drawn the
/// period's ledger is charged by compare-and-swap; a release that would pass the budget is refused. Negative or
/// fractional values are left as drawn (rounding or clamping is post-processing anyone may apply).
/// </para>
/// </summary>
public sealed class UsageStatistics(PipelineStorage storage, ModelRegistry models, IOptions<StatsOptions> options, TimeProvider time, ILogger<UsageStatistics> logger)
{
    private const int MaxAttempts = 32;
    private readonly StatsOptions _options = options.Value;

    /// <summary>Releases a period's statistics, charging its budget.</summary>
    /// <param name="period">A UTC day, <c>yyyy-MM-dd</c>.</param>
    /// <param name="epsilon">The epsilon to spend, or null for <see cref="StatsOptions.Epsilon"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The published release.</returns>
    /// <exception cref="InvalidInputException">The period or epsilon is malformed.</exception>
    /// <exception cref="PrivacyBudgetExceededException">The release would pass the period's budget.</exception>
    public async Task<StatsRelease> ReleaseAsync(string? period, double? epsilon, CancellationToken cancellationToken)
    {
        var day = ParsePeriod(period);
        double eps = epsilon ?? _options.Epsilon;
        if (!double.IsFinite(eps) || eps <= 0 || eps > _options.TotalEpsilonPerPeriod)
        {
            throw new InvalidInputException("epsilon", string.Create(CultureInfo.InvariantCulture, $"must be above 0 and at most the period's budget {_options.TotalEpsilonPerPeriod}"));
        }

        var counts = await CountAsync(day, cancellationToken).ConfigureAwait(false);
        var ledger = await ChargeAsync(day, eps, cancellationToken).ConfigureAwait(false);
        var releaseId = ledger.Releases[^1].ReleaseId;

        int sensitivity = 1 + _options.ExpertClip;
        double scale = sensitivity / eps;
        var released = new SortedDictionary<string, ModelUsage>(StringComparer.Ordinal);
        foreach (var (model, usage) in counts)
        {
            released[model] = new ModelUsage(Noisy(usage.Requests, scale), [.. usage.Experts.Select(c => Noisy(c, scale))]);
        }

        var release = new StatsRelease
        {
            Period = day,
            ReleaseId = releaseId,
            ReleasedAt = time.GetUtcNow(),
            Epsilon = eps,
            Mechanism = _options.Mechanism == DpMechanism.Laplace ? "laplace" : "discrete-laplace",
            Sensitivity = sensitivity,
            Scale = scale,
            ExpertClip = _options.ExpertClip,
            Models = released,
            BudgetSpent = ledger.Spent,
            BudgetTotal = ledger.Total,
        };
        await storage.TryCreateAsync(storage.Layout.StatsContainer, StorageLayout.StatsReleaseBlob(day, releaseId),
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(release, PipelineJsonContext.Default.StatsRelease)), cancellationToken).ConfigureAwait(false);
        PipelineLog.StatsReleased(logger, releaseId, day, eps, ledger.Spent, ledger.Total);
        return release;
    }

    /// <summary>Lists a period's published releases (reading them spends nothing).</summary>
    /// <param name="period">A UTC day, <c>yyyy-MM-dd</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The releases, oldest first.</returns>
    /// <exception cref="InvalidInputException">The period is malformed.</exception>
    public async Task<IReadOnlyList<StatsRelease>> ListAsync(string? period, CancellationToken cancellationToken)
    {
        var day = ParsePeriod(period);
        var container = storage.Layout.StatsContainer;
        var releases = new List<StatsRelease>();
        foreach (var name in await storage.ListAsync(container, StorageLayout.StatsReleasePrefix(day), cancellationToken).ConfigureAwait(false))
        {
            if (await storage.TryReadAsync(container, name, cancellationToken).ConfigureAwait(false) is { } data)
            {
                releases.Add(JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.StatsRelease)!);
            }
        }

        return releases;
    }

    /// <summary>
    /// Counts a day's usage exactly, from its chained audit records: per model served, requests, and per expert the
    /// requests that activated it (clipped). Exposed for tests; never published without noise.
    /// </summary>
    /// <param name="day">The day, <c>yyyy-MM-dd</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The exact counts.</returns>
    internal async Task<SortedDictionary<string, (long Requests, long[] Experts)>> CountAsync(string day, CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, (long Requests, long[] Experts)>(StringComparer.Ordinal);
        foreach (var bundle in models.Bundles)
        {
            counts[bundle.Manifest.Id] = (0, new long[bundle.Manifest.Experts.Count + bundle.Manifest.SharedExperts.Count]);
        }

        var container = storage.Layout.AuditContainer;
        var hours = StorageLayout.AuditChainPrefix + day.Replace("-", "", StringComparison.Ordinal) + "T";
        foreach (var entry in await storage.ListAsync(storage.Layout.AuditLogContainer, hours, cancellationToken).ConfigureAwait(false))
        {
            var key = entry[(entry.LastIndexOf('/') + 12)..];
            var data = await storage.TryReadAsync(container, StorageLayout.AuditBlob(key), cancellationToken).ConfigureAwait(false);
            AuditRecord? record = null;
            try
            {
                record = data is null ? null : JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.AuditRecord);
            }
            catch (JsonException)
            {
                // Not a request record (another kind of audit record), or damaged: `deepseek audit verify` reports damage.
            }

            if (record?.Model is not { } model || !counts.TryGetValue(model.Id, out var usage))
            {
                continue;
            }

            foreach (var expert in Clip(record, usage.Experts.Length))
            {
                usage.Experts[expert]++;
            }

            counts[model.Id] = (usage.Requests + 1, usage.Experts);
        }

        return counts;
    }

    private IEnumerable<int> Clip(AuditRecord record, int experts)
    {
        var rows = new Dictionary<int, int>();
        foreach (var row in record.Routing ?? [])
        {
            foreach (var e in row.Experts)
            {
                rows[e] = rows.GetValueOrDefault(e) + 1;
            }
        }

        // Shared experts (and any activated expert without routed rows) ran on every row.
        int all = record.Routing?.Length ?? 0;
        foreach (var e in record.ActivatedExperts ?? [])
        {
            rows.TryAdd(e, all);
        }

        return rows.Where(kv => kv.Key >= 0 && kv.Key < experts)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(_options.ExpertClip).Select(kv => kv.Key);
    }

    private double Noisy(long count, double scale) => _options.Mechanism == DpMechanism.Laplace
        ? count + NoiseSampler.Laplace(scale)
        : count + NoiseSampler.DiscreteLaplace(scale);

    // The release id is its place in the ledger (rel-0001, ...), so releases list in the order they were charged.
    private async Task<PrivacyLedger> ChargeAsync(string day, double epsilon, CancellationToken ct)
    {
        var container = storage.Layout.StatsContainer;
        var blob = StorageLayout.StatsLedgerBlob(day);
        double total = _options.TotalEpsilonPerPeriod;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var read = await storage.TryReadVersionedAsync(container, blob, ct).ConfigureAwait(false);
            var ledger = read is { } r ? JsonSerializer.Deserialize(r.Content.ToMemory().Span, PipelineJsonContext.Default.PrivacyLedger)! : new PrivacyLedger(day, total, 0, []);
            // A small tolerance so that, say, four releases of 0.5 fit a budget of 2.0 despite rounding.
            if (ledger.Spent + epsilon > total + 1e-9)
            {
                PipelineLog.StatsRefused(logger, day, epsilon, ledger.Spent, total);
                throw new PrivacyBudgetExceededException(string.Create(CultureInfo.InvariantCulture,
                    $"The privacy budget of {day} is {total}; {ledger.Spent} is spent, so a release at epsilon {epsilon} is refused."));
            }

            var releaseId = string.Create(CultureInfo.InvariantCulture, $"rel-{ledger.Releases.Length + 1:D4}");
            var charged = ledger with { Total = total, Spent = ledger.Spent + epsilon, Releases = [.. ledger.Releases, new LedgerEntry(releaseId, epsilon, time.GetUtcNow())] };
            if (await storage.TryReplaceAsync(container, blob, BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(charged, PipelineJsonContext.Default.PrivacyLedger)), read?.ETag, ct).ConfigureAwait(false))
            {
                return charged;
            }
        }

        throw new TimeoutException($"The privacy budget ledger of {day} stayed contended for {MaxAttempts} attempts.");
    }

    private static string ParsePeriod(string? period) =>
        period is not null && DateOnly.TryParseExact(period, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? period
            : throw new InvalidInputException("period", "must be a UTC day written yyyy-MM-dd");
}
