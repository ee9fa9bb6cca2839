using System.CommandLine;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Pipeline.Local;
using DeepSeek.Pipeline.Security;
using DeepSeek.Worker;
using Microsoft.AspNetCore.Builder;

namespace DeepSeek.Cli.Commands;

/// <summary>
/// <c>deepseek local up</c>: Azurite + the worker + the demo model on this machine, until Ctrl-C. Authentication is on:
/// a development signing key is made once in the state folder (<c>auth/</c>) and the worker trusts only it; <c>--no-auth</c>
/// turns it off. The audit seal and pseudonym keys, with the storage connection, are kept in the state folder's
/// <c>settings.json</c> (<see cref="LocalKeys"/>), so <c>deepseek audit verify --settings</c> reads what the stack wrote.
/// </summary>
internal static class LocalCommand
{
    /// <summary>
    /// The queue polling ceiling of the local stack: each stage hop waits up to this long for its next poll, so a
    /// synchronous infer crosses three of them. Polls are free on Azurite; in Azure host.json keeps 2 s (cost).
    /// </summary>
    public const string LocalPollingInterval = "00:00:00.100";

    /// <summary>The folder of the development signing key inside the state folder.</summary>
    public const string AuthFolderName = "auth";

    public static Command Create(CliConsole console)
    {
        var local = new Command("local", "Run the whole stack locally against Azurite.");
        local.Add(Up(console));
        return local;
    }

    private static Command Up(CliConsole console)
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "A bundle folder, or a folder of bundle folders (default: a demo bundle, id 'demo')." };
        var port = new Option<int>("--port") { Description = "The HTTP port.", DefaultValueFactory = _ => 7071 };
        var data = DataOption();
        var noAuth = new Option<bool>("--no-auth") { Description = "Run WITHOUT authentication: every route answers anyone who reaches the port." };
        var command = new Command("up", "Install and start Azurite, create queues and containers, create the demo model, run the worker with authentication on; Ctrl-C stops everything.")
        {
            model, port, data, noAuth,
        };
        command.SetAction((p, ct) => console.GuardAsync(() => RunAsync(console, p.GetValue(model), p.GetValue(port), p.GetValue(data), p.GetValue(noAuth), ct)));
        return command;
    }

    /// <summary>The <c>--data</c> option: where the stack keeps its state (also the development key).</summary>
    public static Option<DirectoryInfo?> DataOption() =>
        new("--data") { Description = "Keep Azurite's data, the demo bundle, the development signing key and settings.json (audit seal and pseudonym keys) in this folder (default: .local in the repository, data in memory)." };

    /// <summary>The state folder: <c>--data</c>, else <c>.local</c> in the repository.</summary>
    public static string StateFolder(DirectoryInfo? data)
    {
        if (data is not null)
        {
            return data.FullName;
        }

        var root = AzuriteServer.FindRepositoryRoot()
            ?? throw new CliUsageException("run `deepseek local up` inside the repository (it installs Azurite from the repository's package.json)");
        return Path.Combine(root, ".local");
    }

    private static async Task<int> RunAsync(CliConsole console, DirectoryInfo? model, int port, DirectoryInfo? data, bool noAuth, CancellationToken ct)
    {
        var root = AzuriteServer.FindRepositoryRoot()
            ?? throw new CliUsageException("run `deepseek local up` inside the repository (it installs Azurite from the repository's package.json)");
        var state = StateFolder(data);
        var modelsPath = model?.FullName ?? EnsureDemo(console, Path.Combine(state, "models"));
        var authKeys = Path.Combine(state, AuthFolderName);
        if (!noAuth && LocalAuthority.EnsureKey(authKeys))
        {
            await console.Out.WriteLineAsync($"Created the development signing key in {authKeys}").ConfigureAwait(false);
        }

        await using var azurite = await AzuriteServer.StartAsync(root, data is null ? null : Path.Combine(state, "azurite"), console.Out, cancellationToken: ct).ConfigureAwait(false);
        var keys = await LocalKeys.LoadOrCreateAsync(Path.Combine(state, LocalKeys.FileName), azurite.ConnectionString, ct).ConfigureAwait(false);
        var settings = new Dictionary<string, string?>(keys.Settings)
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            // Locally every request can be replayed from the audit log (`deepseek audit replay ID`).
            ["Privacy:InputPolicy"] = "Full",
            ["Audit:SealInterval"] = "00:01:00",
            ["Pipeline:ModelsPath"] = modelsPath,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:DeepSeek"] = "Information",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = LocalPollingInterval,
        };
        foreach (var (key, value) in noAuth ? new() { [$"{AuthOptions.SectionName}:{nameof(AuthOptions.Enabled)}"] = "false" } : LocalAuthority.WorkerSettings(authKeys))
        {
            settings[key] = value;
        }

        var url = $"http://127.0.0.1:{port}";
        await using var app = WorkerHost.Build(["--urls", url], settings);
        await app.StartAsync(ct).ConfigureAwait(false);

        await console.Out.WriteLineAsync($$"""

            DeepSeek.Functions local stack is up: {{url}}
              models:  {{modelsPath}}
              storage: Azurite (pid {{azurite.ProcessId}}), blob :{{azurite.BlobPort}}, queue :{{azurite.QueuePort}}, {{(data is null ? "in memory" : "data in " + state)}}
            """).ConfigureAwait(false);
        if (noAuth)
        {
            const string warning = """
                !!! WARNING: AUTHENTICATION IS OFF (--no-auth) !!!
                !!! Every route answers anyone who can reach this port: no roles, no tenants, no model allow lists. !!!
                """;
            await console.Out.WriteLineAsync(warning).ConfigureAwait(false);
            await console.Error.WriteLineAsync(warning).ConfigureAwait(false);
        }
        else
        {
            var token = LocalAuthority.MintToken(authKeys, MoeRoles.All, LocalAuthority.DevTenant, LocalAuthority.DevCaller, LocalAuthority.DevTokenLifetime, TimeProvider.System);
            await console.Out.WriteLineAsync($$"""
              auth:    on; development token (every role, tenant {{LocalAuthority.DevTenant}}, valid {{LocalAuthority.DevTokenLifetime.TotalHours}} h; more with `deepseek auth token`):

            export DEEPSEEK_TOKEN={{token}}

            """).ConfigureAwait(false);
        }

        var bearer = noAuth ? "" : " -H \"Authorization: Bearer $DEEPSEEK_TOKEN\"";
        await console.Out.WriteLineAsync($$"""
            Try:
              curl -s {{url}}/api/v1/health
              curl -s -X POST {{url}}/api/v1/infer{{bearer}} -H 'content-type: application/json' -d '{"model":"demo","inputs":[[0.1, ...256 values...]]}'
              deepseek infer --input in.json --model demo
              deepseek jobs submit lines.jsonl --model demo --wait
              deepseek audit verify --settings {{keys.Path}}
              deepseek stats release --period {{TimeProvider.System.GetUtcNow():yyyy-MM-dd}}
            Audit seal and pseudonym keys: {{keys.Path}} (local only; inputs kept in full for `audit replay`).
            Ctrl-C stops the worker and Azurite.
            """).ConfigureAwait(false);

        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await console.Out.WriteLineAsync("Stopping the worker and Azurite ...").ConfigureAwait(false);
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    private static string EnsureDemo(CliConsole console, string models)
    {
        var demo = Path.Combine(models, "demo");
        if (File.Exists(Path.Combine(demo, MoeManifest.FileName)))
        {
            ModelBundle.Load(demo);
            return models;
        }

        console.Out.WriteLine($"Creating the demo model in {demo} ...");
        DemoBundle.Create(demo, new DemoBundleOptions());
        return models;
    }
}
