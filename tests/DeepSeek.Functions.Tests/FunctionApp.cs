using System.Text;
using System.Text.Json;
using DeepSeek.Functions.Hosting;
using DeepSeek.Functions.Http;
using DeepSeek.Functions.Queues;
using DeepSeek.Pipeline.Tests;
using DeepSeek.Pipeline.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DeepSeek.Functions.Tests;

/// <summary>
/// The function classes constructed from a harness's services, driven as the Functions host would drive
/// them: queue triggers get the message text, HTTP triggers get an ASP.NET Core request.
/// </summary>
internal sealed class FunctionApp(PipelineHarness harness)
{
    public PipelineHarness Harness => harness;

    public GateFunction Gate { get; } = ActivatorUtilities.CreateInstance<GateFunction>(harness.Services);

    public ExpertFunction Expert { get; } = ActivatorUtilities.CreateInstance<ExpertFunction>(harness.Services);

    public AggregateFunction Aggregate { get; } = ActivatorUtilities.CreateInstance<AggregateFunction>(harness.Services);

    public JobsFunction Jobs { get; } = ActivatorUtilities.CreateInstance<JobsFunction>(harness.Services);

    public MoeHttpFunctions Http { get; } = new();

    /// <summary>The app settings of a deployment serving one expert shard.</summary>
    public QueueSettings Settings(int shard) => new()
    {
        MoeGateQueue = harness.Layout.GateQueue,
        MoeExpertQueue = harness.Layout.ExpertQueue(shard),
        MoeAggregateQueue = harness.Layout.AggregateQueue,
        MoeJobsQueue = harness.Layout.JobsQueue,
    };

    public PoisonFunctions Poison(int shard) =>
        ActivatorUtilities.CreateInstance<PoisonFunctions>(harness.Services, Options.Create(Settings(shard)));

    /// <summary>Feeds every message of the jobs and stage queues to its function until all queues stay empty; returns how many ran.</summary>
    public async Task<int> PumpAsync(CancellationToken cancellationToken = default)
    {
        int total = 0;
        for (int idle = 0; idle < 2;)
        {
            int handled = 0;
            foreach (var queue in (string[])[harness.Layout.JobsQueue, .. harness.StageQueues])
            {
                foreach (var text in await harness.TakeAllAsync(queue))
                {
                    await InvokeAsync(queue, text, cancellationToken);
                    handled++;
                }
            }

            total += handled;
            idle = handled == 0 ? idle + 1 : 0;
        }

        return total;
    }

    public Task InvokeAsync(string queue, string message, CancellationToken cancellationToken = default) =>
        queue == harness.Layout.JobsQueue ? Jobs.Jobs(message, cancellationToken)
        : queue == harness.Layout.GateQueue ? Gate.Gate(message, cancellationToken)
        : queue == harness.Layout.AggregateQueue ? Aggregate.Aggregate(message, cancellationToken)
        : Expert.Expert(message, cancellationToken);

    /// <summary>An HTTP request as the ASP.NET Core integration hands it to a function.</summary>
    public HttpRequest Request(string method, string path, string query = "", string? json = null) =>
        HandlerCall.NewContext(harness, method, path, query, json).Request;

    /// <summary>The status code and JSON body the handler wrote.</summary>
    public static (int Status, JsonElement Body) Response(HttpRequest request)
    {
        using var document = JsonDocument.Parse(Text(request));
        return (request.HttpContext.Response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>The body the handler wrote, as text.</summary>
    public static string Text(HttpRequest request) =>
        Encoding.UTF8.GetString(((MemoryStream)request.HttpContext.Response.Body).ToArray());
}
