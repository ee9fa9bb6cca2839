using Azure.Storage.Queues;
using DeepSeek.Pipeline;
using DeepSeek.Pipeline.Http;
using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DeepSeek.Worker;

/// <summary>
/// The worker process: the pipeline's queue triggers on the WebJobs SDK listener, configured from the
/// Functions app's host.json, and the same HTTP routes on ASP.NET Core. Used by <c>deepseek local up</c>,
/// the tests, and the Kubernetes/KEDA container.
/// </summary>
public static class WorkerHost
{
    /// <summary>Builds the worker.</summary>
    /// <param name="args">Command-line arguments (ASP.NET Core conventions, for example <c>--urls</c>).</param>
    /// <param name="settings">Settings that override every other source (tests and <c>local up</c> pass the connection, prefix and models here).</param>
    /// <returns>The application; run it with <c>RunAsync</c>.</returns>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The SDK logs every expected 404 (absent plan, result, marker) as a warning: keep errors only.
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Azure.Core", "Error")]);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Configuration.AddInMemoryCollection(WorkerSettings.For(builder.Configuration));
        builder.Services.AddMoePipeline(builder.Configuration);
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName);
        builder.Services.AddHostedService<StorageInitializer>();
        builder.Services.AddHostedService<AuditSealService>();
        builder.Host.ConfigureWebJobs(webJobs => webJobs.AddAzureStorageQueues(options => ApplyHostJson(options, builder.Configuration)));
        builder.Services.AddSingleton<ITypeLocator>(new ExplicitTypeLocator(typeof(QueueFunctions)));

        var app = builder.Build();
        app.MapMoeApi();
        return app;
    }

    /// <summary>
    /// Applies host.json's <c>extensions:queues</c> (the Functions app's file, copied beside the worker), then
    /// the <c>AzureFunctionsJobHost:extensions:queues</c> overrides, as the Functions host does.
    /// </summary>
    /// <param name="options">The WebJobs queue options.</param>
    /// <param name="configuration">The configuration.</param>
    internal static void ApplyHostJson(QueuesOptions options, IConfiguration configuration)
    {
        var hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        if (File.Exists(hostJson))
        {
            new ConfigurationBuilder().AddJsonFile(hostJson).Build().GetSection("extensions:queues").Bind(options);
        }

        configuration.GetSection("AzureFunctionsJobHost:extensions:queues").Bind(options);
        options.MessageEncoding = QueueMessageEncoding.Base64;
    }

    /// <summary>
    /// Creates the queues and containers before the listeners poll them (unless the infrastructure did), then, in a
    /// front worker, re-drives jobs a crashed predecessor left unfinished.
    /// </summary>
    private sealed class StorageInitializer(PipelineStorage storage, ModelRegistry models, JobRecovery recovery, IOptions<WorkerOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.CreateStorage)
            {
                await storage.EnsureCreatedAsync(models.Shards, cancellationToken).ConfigureAwait(false);
            }

            if (options.Value.Front)
            {
                await recovery.RecoverAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
