using System.CommandLine;
using System.Globalization;
using DeepSeek.Cli.Remote;
using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DeepSeek.Cli.Commands;

/// <summary>
/// <c>deepseek audit show|verify|seal|replay</c>: the audit log, read straight from storage (an auditor needs the
/// storage account and, for seals, the key; not the running service). Exit codes: 0 intact or confirmed, 2 tampered or
/// mismatched, 1 usage or access errors.
/// </summary>
internal static class AuditCommand
{
    public const int Tampered = 2;

    public static Command Create(CliConsole console)
    {
        var audit = new Command("audit", "Read, verify, seal and replay the tamper-evident audit log.");
        audit.Add(Show(console));
        audit.Add(Verify(console));
        audit.Add(Seal(console));
        audit.Add(Replay(console));
        return audit;
    }

    private static Command Show(CliConsole console)
    {
        var store = new StorageOptions();
        var id = new Argument<string>("id") { Description = "The request (or record) id." };
        var command = new Command("show", "Print an audit record as stored.") { id };
        store.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var storage = StorageOptions.Storage(store.Configuration(p));
            var data = await storage.TryReadAsync(storage.Layout.AuditContainer, StorageLayout.AuditBlob(p.GetValue(id)!), ct).ConfigureAwait(false)
                ?? throw new CliUsageException($"no audit record '{p.GetValue(id)}'");
            await console.Out.WriteLineAsync(data.ToString()).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Verify(CliConsole console)
    {
        var store = new StorageOptions();
        var from = new Option<DateTimeOffset?>("--from") { Description = "Check partitions from this time (UTC unless an offset is given).", CustomParser = ParseTime };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Check partitions up to this time (UTC unless an offset is given).", CustomParser = ParseTime };
        var command = new Command("verify", "Check every chain: hashes, order, gaps, heads and signed seals. Exit 0 when intact, 2 naming the first altered, removed or reordered record.") { from, to };
        store.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var configuration = store.Configuration(p);
            using var signer = SealSigner.Create(SealOptions(configuration));
            var report = await new AuditVerifier(StorageOptions.Storage(configuration), signer).VerifyAsync(p.GetValue(from), p.GetValue(to), ct).ConfigureAwait(false);
            foreach (var note in report.Notes)
            {
                await console.Error.WriteLineAsync($"note: {note}").ConfigureAwait(false);
            }

            var summary = string.Create(CultureInfo.InvariantCulture, $"{report.Partitions} partitions, {report.Records} records, {report.Seals} seals checked");
            if (report.Intact)
            {
                await console.Out.WriteLineAsync($"intact: {summary}").ConfigureAwait(false);
                return 0;
            }

            await console.Out.WriteLineAsync($"TAMPERED: {report.Findings[0]}").ConfigureAwait(false);
            foreach (var finding in report.Findings.Skip(1))
            {
                await console.Out.WriteLineAsync($"  also {finding}").ConfigureAwait(false);
            }

            await console.Out.WriteLineAsync($"{report.Findings.Count} findings; {summary}").ConfigureAwait(false);
            return Tampered;
        }));
        return command;
    }

    private static Command Seal(CliConsole console)
    {
        var store = new StorageOptions();
        var all = new Option<bool>("--all") { Description = "Seal every partition, not only those of the last Audit:SealLookback (48 h)." };
        var command = new Command("seal", "Sign the head of every chain that moved since its last seal (the hosts also do this every Audit:SealInterval).") { all };
        store.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var configuration = store.Configuration(p);
            var options = new AuditOptions();
            configuration.GetSection(AuditOptions.SectionName).Bind(options);
            using var sealer = new AuditSealer(StorageOptions.Storage(configuration), Options.Create(options), TimeProvider.System, NullLogger<AuditSealer>.Instance);
            if (!sealer.Enabled)
            {
                throw new CliUsageException("no seal signing key: set Audit:Seal:Key (HMAC-SHA256) or Audit:Seal:PrivateKeyPem (ECDSA-P256-SHA256)");
            }

            var seals = await sealer.SealAsync(p.GetValue(all), ct).ConfigureAwait(false);
            foreach (var seal in seals)
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sealed {seal.Partition} #{seal.Seq} {seal.Hash}")).ConfigureAwait(false);
            }

            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{seals.Count} heads sealed")).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Replay(CliConsole console)
    {
        var store = new StorageOptions();
        var id = new Argument<string>("id") { Description = "The request (or job chunk) id." };
        var models = new Option<DirectoryInfo>("--models") { Description = "The bundle folder, or a folder of bundle folders, the request ran on.", Required = true };
        var backend = new Option<string>("--backend") { Description = "Expert backend.", DefaultValueFactory = _ => MoeBackends.OnnxCpu };
        backend.AcceptOnlyFromAmong([.. MoeBackends.All]);
        var tolerance = new Option<double>("--tolerance") { Description = "The largest accepted absolute output difference.", DefaultValueFactory = _ => AuditReplayer.DefaultTolerance };
        var command = new Command("replay", "Recompute a request from its recorded input, seed and model version (file hashes checked) and confirm its outputs. Needs Privacy:InputPolicy=full.")
        {
            id, models, backend, tolerance,
        };
        store.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var storage = StorageOptions.Storage(store.Configuration(p));
            var pipeline = new PipelineOptions { ModelsPath = p.GetValue(models)!.FullName, Backend = p.GetValue(backend)! };
            using var registry = new ModelRegistry(Options.Create(pipeline), Options.Create(new ExpertRuntimeOptions()), Options.Create(new BatchingOptions { Enabled = false }), NullLogger<ModelRegistry>.Instance);
            var result = await new AuditReplayer(storage, registry).ReplayAsync(p.GetValue(id)!, p.GetValue(tolerance), ct).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"{(result.Confirmed ? "confirmed" : "MISMATCH")}: {result.Message}").ConfigureAwait(false);
            return result.Confirmed ? 0 : Tampered;
        }));
        return command;
    }

    private static AuditSealOptions SealOptions(IConfiguration configuration)
    {
        var options = new AuditOptions();
        configuration.GetSection(AuditOptions.SectionName).Bind(options);
        return options.Seal;
    }

    // A time without an offset is taken as UTC, as the partitions are.
    private static DateTimeOffset? ParseTime(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        result.AddError($"'{text}' is not a time (for example 2025-01-31T09:00Z).");
        return null;
    }
}
