using System.CommandLine;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Pipeline.Local;
using DeepSeek.Worker;
using Microsoft.AspNetCore.Builder;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek local up</c>: Azurite + the worker + the demo model on this machine, until Ctrl-C.</summary>
internal static class LocalCommand
{
    /// <summary>
    /// The queue polling ceiling of the local stack: each stage hop waits up to this long for its next poll, so a
    /// synchronous infer crosses three of them. Polls are free on Azurite; in Azure host.json keeps 2 s (cost).
    /// </summary>
    public const string LocalPollingInterval = "00:00:00.100";

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
        var data = new Option<DirectoryInfo?>("--data") { Description = "Keep Azurite's data (and the demo bundle) in this folder instead of in memory." };
        var command = new Command("up", "Install and start Azurite, create queues and containers, create the demo model, run the worker; Ctrl-C stops everything.")
        {
            model, port, data,
        };
        command.SetAction((p, ct) => console.GuardAsync(() => RunAsync(console, p.GetValue(model), p.GetValue(port), p.GetValue(data), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, DirectoryInfo? model, int port, DirectoryInfo? data, CancellationToken ct)
    {
        var root = AzuriteServer.FindRepositoryRoot()
            ?? throw new CliUsageException("run `deepseek local up` inside the repository (it installs Azurite from the repository's package.json)");
        var state = data?.FullName ?? Path.Combine(root, ".local");
        var modelsPath = model?.FullName ?? EnsureDemo(console, Path.Combine(state, "models"));

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
        var url = $"http://127.0.0.1:{port}";
        await using var app = WorkerHost.Build(["--urls", url], settings);
        await app.StartAsync(ct).ConfigureAwait(false);

        await console.Out.WriteLineAsync($$"""

            DeepSeek.Functions local stack is up: {{url}}
              models:  {{modelsPath}}
              storage: Azurite (pid {{azurite.ProcessId}}), blob :{{azurite.BlobPort}}, queue :{{azurite.QueuePort}}, {{(data is null ? "in memory" : "data in " + state)}}
            Try:
              curl -s {{url}}/api/v1/health
              curl -s -X POST {{url}}/api/v1/infer -H 'content-type: application/json' -d '{"model":"demo","inputs":[[0.1, ...256 values...]]}'
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
