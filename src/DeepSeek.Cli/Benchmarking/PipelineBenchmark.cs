using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DeepSeek.Moe.Benchmarking;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;
using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Local;
using DeepSeek.Pipeline.Security;
using DeepSeek.Cli.Commands;
using DeepSeek.Worker;

namespace DeepSeek.Cli.Benchmarking;

/// <summary>
/// The stack on this machine (npm Azurite + the worker in-process, the demo model) against the in-process engine on
/// the same rows: single-row HTTP latency, the throughput of a job, and the storage operations it costs per row. The
/// worker runs with authentication on (a development key), as <c>deepseek local up</c> does, so token validation is measured too.
/// </summary>
internal static class PipelineBenchmark
{
    public static async Task<PipelineBenchmarkResult> RunAsync(string repositoryRoot, int requests, int jobRows, TextWriter progress, CancellationToken ct)
    {
        var work = Path.Combine(Path.GetTempPath(), "dsm-bench-" + Guid.NewGuid().ToString("N"));
        using var counter = new StorageOperationCounter();
        try
        {
            var bundle = DemoBundle.Create(Path.Combine(work, "models", "demo"), new DemoBundleOptions());
            await using var azurite = await AzuriteServer.StartAsync(repositoryRoot, null, progress, cancellationToken: ct).ConfigureAwait(false);
            var url = $"http://127.0.0.1:{AzuriteServer.FreePort()}";
            var keys = Path.Combine(work, LocalCommand.AuthFolderName);
            LocalAuthority.EnsureKey(keys);
            var settings = new Dictionary<string, string?>(LocalAuthority.WorkerSettings(keys))
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Pipeline:ModelsPath"] = Path.Combine(work, "models"),
                ["Logging:LogLevel:Default"] = "Warning",
                ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = LocalCommand.LocalPollingInterval,
            };
            await using var app = WorkerHost.Build(["--urls", url], settings);
            await app.StartAsync(ct).ConfigureAwait(false);
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
            var token = LocalAuthority.MintToken(keys, MoeRoles.All, LocalAuthority.DevTenant, LocalAuthority.DevCaller, TimeSpan.FromHours(1), TimeProvider.System);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var engine = MoeEngine.CreateOnnx(bundle);
            var rows = Rows(Math.Max(requests, jobRows), bundle.Manifest.DModel);

            progress.WriteLine($"Warming up, then {requests} single-row requests ...");
            for (int i = 0; i < 5; i++)
            {
                await InferAsync(http, rows[i], (ulong)i, ct).ConfigureAwait(false);
            }

            long requestOpsBefore = counter.Count;
            var httpTimes = new List<double>();
            var engineTimes = new List<double>();
            for (int i = 0; i < requests; i++)
            {
                var clock = Stopwatch.StartNew();
                await InferAsync(http, rows[i], (ulong)i, ct).ConfigureAwait(false);
                httpTimes.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                engine.Forward(rows[i], 1, (ulong)i);
                engineTimes.Add(clock.Elapsed.TotalMilliseconds);
            }

            long requestOps = counter.Count - requestOpsBefore;
            progress.WriteLine($"A job of {jobRows} rows ...");
            long before = counter.Count;
            var jobClock = Stopwatch.StartNew();
            var jobId = await SubmitJobAsync(http, rows.Take(jobRows), ct).ConfigureAwait(false);
            await WaitForJobAsync(http, jobId, progress, ct).ConfigureAwait(false);
            double jobSeconds = jobClock.Elapsed.TotalSeconds;
            long operations = counter.Count - before;

            int chunk = new DeepSeek.Pipeline.Configuration.PipelineOptions().JobChunkRows;
            var engineClock = Stopwatch.StartNew();
            for (int start = 0; start < jobRows; start += chunk)
            {
                int n = Math.Min(chunk, jobRows - start);
                engine.Forward(rows.Skip(start).Take(n).SelectMany(r => r).ToArray(), n, JobStage.ChunkSeed(jobId, start / chunk));
            }

            double engineSeconds = engineClock.Elapsed.TotalSeconds;

            // Late duplicate aggregate messages are still being acknowledged: let them finish before stopping.
            await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return new PipelineBenchmarkResult(LatencyStats.Of(httpTimes), LatencyStats.Of(engineTimes), jobRows, jobSeconds, engineSeconds, operations, (double)requestOps / Math.Max(1, requests), Environment.ProcessorCount);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task InferAsync(HttpClient http, float[] row, ulong seed, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("api/v1/infer", new { model = "demo", inputs = new[] { row }, options = new { seed } }, ct).ConfigureAwait(false);
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"infer answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
        }
    }

    private static async Task<string> SubmitJobAsync(HttpClient http, IEnumerable<float[]> rows, CancellationToken ct)
    {
        var jsonl = new StringBuilder();
        foreach (var row in rows)
        {
            jsonl.Append("{\"inputs\":[").Append(JsonSerializer.Serialize(row)).Append("]}\n");
        }

        using var response = await http.PostAsync("api/v1/jobs?model=demo", new StringContent(jsonl.ToString(), Encoding.UTF8, "application/x-ndjson"), ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return (int)response.StatusCode == 202
            ? JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetString()!
            : throw new InvalidOperationException($"job submission answered {(int)response.StatusCode}: {body}");
    }

    private static async Task WaitForJobAsync(HttpClient http, string jobId, TextWriter progress, CancellationToken ct)
    {
        while (true)
        {
            var view = JsonDocument.Parse(await http.GetStringAsync($"api/v1/jobs/{jobId}", ct).ConfigureAwait(false)).RootElement;
            var status = view.GetProperty("status").GetString();
            int total = view.GetProperty("total").GetInt32(), done = view.GetProperty("succeeded").GetInt32() + view.GetProperty("failed").GetInt32();
            progress.Write($"\r  {done}/{total} lines ({status})   ");
            if (status is "succeeded" or "failed")
            {
                progress.WriteLine();
                if (status == "failed" || view.GetProperty("failed").GetInt32() > 0)
                {
                    throw new InvalidOperationException($"the benchmark job did not fully succeed: {view}");
                }

                return;
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    private static float[][] Rows(int count, int width)
    {
        var rng = new Random(1);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, width).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray())];
    }
}
