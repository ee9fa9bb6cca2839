using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// Recomputes an audited request from its record: the kept input (only under <c>Privacy:InputPolicy=full</c>), the
/// recorded seed, and the model version whose file hashes must equal those the record lists; then compares routing
/// exactly and outputs within a tolerance.
/// </summary>
public sealed class AuditReplayer(PipelineStorage storage, ModelRegistry models)
{
    /// <summary>The default output tolerance: the same backend reproduces outputs bit for bit; another backend stays within 1e-4.</summary>
    public const double DefaultTolerance = 1e-5;

    /// <summary>Replays a request.</summary>
    /// <param name="requestId">The request (or job chunk) id.</param>
    /// <param name="tolerance">The largest accepted absolute output difference.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the recorded outputs are confirmed.</returns>
    /// <exception cref="AuditReplayException">The request cannot be replayed (the message says why).</exception>
    public async Task<AuditReplayResult> ReplayAsync(string requestId, double tolerance, CancellationToken cancellationToken)
    {
        var container = storage.Layout.AuditContainer;
        var data = await storage.TryReadAsync(container, StorageLayout.AuditBlob(requestId), cancellationToken).ConfigureAwait(false)
            ?? throw new AuditReplayException($"No audit record '{requestId}'.");
        var envelope = JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.AuditEnvelope);
        if (envelope?.SchemaVersion >= 2 && !AuditRecordFormat.TryCheck(data.ToMemory().Span, out _, out _))
        {
            throw new AuditReplayException($"The audit record '{requestId}' does not match its hash: it was altered (run `deepseek audit verify`).");
        }

        AuditRecord record;
        try
        {
            record = JsonSerializer.Deserialize(data.ToMemory().Span, PipelineJsonContext.Default.AuditRecord)!;
        }
        catch (JsonException)
        {
            // Another kind of audit record (a denial of access control), or one damaged past reading.
            throw new AuditReplayException($"The audit record '{requestId}' is not a request's record, so there is nothing to replay.");
        }

        if (record.Status != RequestStatus.Succeeded || record.Outputs is null || record.Routing is null)
        {
            throw new AuditReplayException($"Request '{requestId}' {record.Status}: there is no output to confirm.");
        }

        if (record is not { Input: { } input, Seed: { } seed, Model: { } model })
        {
            throw new AuditReplayException($"The audit record '{requestId}' lacks its input, seed or model.");
        }

        if (input.Policy != "full" || input.Blob is null)
        {
            throw new AuditReplayException($"Request '{requestId}' kept its input as '{input.Policy ?? "hash"}': only the hash{(input.Policy == "noised" ? " and a noised copy" : "")} " +
                "is stored, so it cannot be recomputed. Requests are replayable when Privacy:InputPolicy is 'full'.");
        }

        var bytes = await storage.TryReadAsync(storage.Layout.AuditLogContainer, input.Blob, cancellationToken).ConfigureAwait(false)
            ?? throw new AuditReplayException($"The kept input {input.Blob} of '{requestId}' is missing.");
        if (Convert.ToHexStringLower(SHA256.HashData(bytes.ToMemory().Span)) != input.Sha256)
        {
            throw new AuditReplayException($"The kept input {input.Blob} of '{requestId}' does not hash to the recorded input SHA-256: it was altered.");
        }

        var x = FloatPayload.FromBytes(bytes.ToMemory().Span);
        var engine = Engine(requestId, model);
        if (x.Length != input.Rows * input.Cols || input.Cols != engine.DModel)
        {
            throw new AuditReplayException($"The kept input holds {x.Length} values; the record says {input.Rows} x {input.Cols} for a model of width {engine.DModel}.");
        }

        var output = engine.Forward(x, input.Rows, seed);
        double worst = 0;
        for (int r = 0; r < input.Rows; r++)
        {
            var experts = output.Routing.ExpertsOf(r).ToArray();
            if (!experts.SequenceEqual(record.Routing[r].Experts))
            {
                return new AuditReplayResult(false, string.Create(CultureInfo.InvariantCulture,
                    $"row {r}: routed to [{string.Join(',', experts)}], the record says [{string.Join(',', record.Routing[r].Experts)}]"), null);
            }

            var row = output.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                worst = Math.Max(worst, Math.Abs((double)row[c] - record.Outputs[r][c]));
            }
        }

        bool confirmed = worst <= tolerance;
        return new AuditReplayResult(confirmed, string.Create(CultureInfo.InvariantCulture,
            $"{input.Rows} rows recomputed with {model.Id} {model.Version} seed {seed} on {engine.Backend}: routing identical, largest output difference {worst:G3} ({(confirmed ? "within" : "beyond")} {tolerance:G3})"), worst);
    }

    private Moe.Engine.MoeEngine Engine(string requestId, AuditModel model)
    {
        var served = models.Describe(model.Id)
            ?? throw new AuditReplayException($"Request '{requestId}' ran on model '{model.Id}', which is not loaded here.");
        if (served.Version != model.Version)
        {
            throw new AuditReplayException($"Request '{requestId}' ran on {model.Id} {model.Version}; the loaded bundle is version {served.Version}.");
        }

        if (model.Files.Count == 0)
        {
            throw new AuditReplayException($"The audit record of '{requestId}' lists no model file hashes, so the bundle cannot be matched to what ran.");
        }

        foreach (var (file, sha) in model.Files)
        {
            if (!served.Files.TryGetValue(file, out var loaded) || loaded != sha)
            {
                throw new AuditReplayException($"Model file {file}: the record says SHA-256 {sha}, the loaded bundle has {loaded ?? "no such file"}.");
            }
        }

        return models.Engine(new Messages.ModelRef(model.Id, model.Version));
    }
}
