using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DeepSeek.Moe.Demo;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Tests;

/// <summary>
/// A pipeline wired exactly as the hosts wire it (AddMoePipeline) against the shared Azurite, with its own
/// name prefix and a small demo model; it can pump queues through the stages as a host would.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const int DModel = 32;
    private readonly string _models;
    private readonly ServiceProvider _services;

    private PipelineHarness(string models, ServiceProvider services, IConfiguration configuration)
    {
        _models = models;
        _services = services;
        Configuration = configuration;
    }

    public IConfiguration Configuration { get; }

    public IServiceProvider Services => _services;

    public PipelineStorage Storage => _services.GetRequiredService<PipelineStorage>();

    public StorageLayout Layout => Storage.Layout;

    public string ModelsPath => _models;

    public static async Task<PipelineHarness> CreateAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null, int sharedExperts = 1, Action<ILoggingBuilder>? logging = null)
    {
        var models = Path.Combine(Path.GetTempPath(), "dsp-models-" + Guid.NewGuid().ToString("N"));
        DemoBundle.Create(Path.Combine(models, "demo"), new DemoBundleOptions { DModel = DModel, DFf = 64, Experts = 8, TopK = 2, Shards = 2, SharedExperts = sharedExperts });
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Pipeline:Prefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
            ["Pipeline:ModelsPath"] = models,
            ["Moe:Runtime:IntraOpThreads"] = "1",
            // Tests not about access control run with it explicitly off; the Security tests pass their own Moe:Auth settings.
            ["Moe:Auth:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging(b => logging?.Invoke(b)).AddMoePipeline(configuration).BuildServiceProvider();
        var harness = new PipelineHarness(models, services, configuration);
        await harness.Storage.EnsureCreatedAsync(services.GetRequiredService<ModelRegistry>().Shards, CancellationToken.None);
        return harness;
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public IReadOnlyList<string> StageQueues => [Layout.GateQueue, .. Get<ModelRegistry>().Shards.Select(Layout.ExpertQueue), Layout.AggregateQueue];

    /// <summary>Receives every visible message of a queue and deletes it.</summary>
    public async Task<List<string>> TakeAllAsync(string queue)
    {
        var client = Storage.Queue(queue);
        var texts = new List<string>();
        while (true)
        {
            var batch = (await client.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (batch.Length == 0)
            {
                return texts;
            }

            foreach (var m in batch)
            {
                texts.Add(m.Body.ToString());
                await client.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }
    }

    /// <summary>Pumps gate, expert and aggregate queues through the stages until all are empty.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        for (int idle = 0; idle < 2;)
        {
            int handled = 0;
            foreach (var queue in StageQueues)
            {
                foreach (var text in await TakeAllAsync(queue))
                {
                    await HandleAsync(queue, text, cancellationToken);
                    handled++;
                }
            }

            idle = handled == 0 ? idle + 1 : 0;
        }
    }

    public Task HandleAsync(string queue, string message, CancellationToken cancellationToken = default) =>
        queue == Layout.GateQueue ? Get<GateStage>().HandleAsync(message, cancellationToken)
        : queue == Layout.AggregateQueue ? Get<AggregateStage>().HandleAsync(message, cancellationToken)
        : Get<ExpertStage>().HandleAsync(message, cancellationToken);

    public async Task<IReadOnlyList<string>> BlobsAsync(string container, string prefix = "") =>
        await Storage.ListAsync(container, prefix, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        var connection = Configuration["AzureWebJobsStorage"];
        try
        {
            var queues = new QueueServiceClient(connection);
            await foreach (var q in queues.GetQueuesAsync(prefix: Layout.Prefix + "-"))
            {
                await queues.DeleteQueueAsync(q.Name);
            }

            var blobs = new BlobServiceClient(connection);
            await foreach (var c in blobs.GetBlobContainersAsync(prefix: Layout.Prefix + "-"))
            {
                await blobs.DeleteBlobContainerAsync(c.Name);
            }
        }
        catch (Azure.RequestFailedException)
        {
        }

        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_models, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
