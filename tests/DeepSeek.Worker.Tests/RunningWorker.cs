using DeepSeek.Pipeline.Local;
using DeepSeek.Pipeline.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Worker.Tests;

/// <summary>A real worker (WebJobs listeners + ASP.NET Core on loopback) over a harness's storage prefix and models.</summary>
public sealed class RunningWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningWorker(WebApplication app, Uri url)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
    }

    public HttpClient Http { get; }

    public static async Task<RunningWorker> StartAsync(PipelineHarness harness, IDictionary<string, string?>? extra = null, ILoggerProvider? logs = null)
    {
        var settings = Settings(harness);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var url = new Uri($"http://127.0.0.1:{AzuriteServer.FreePort()}");
        var app = WorkerHost.Build(["--urls", url.ToString()], settings);
        if (logs is not null)
        {
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        }

        await app.StartAsync();
        return new RunningWorker(app, url);
    }

    public static Dictionary<string, string?> Settings(PipelineHarness harness) => new()
    {
        ["AzureWebJobsStorage"] = harness.Configuration["AzureWebJobsStorage"],
        ["Pipeline:Prefix"] = harness.Layout.Prefix,
        ["Pipeline:ModelsPath"] = harness.ModelsPath,
        ["Moe:Runtime:IntraOpThreads"] = "1",
        ["Moe:Auth:Enabled"] = harness.Configuration["Moe:Auth:Enabled"],
        ["Logging:LogLevel:Default"] = "Warning",
        ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.500",
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
