using System.Diagnostics;
using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Worker.Tests;

/// <summary>The worker as a separate OS process, so a test can kill it the hard way (by its own PID).</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, Uri url)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(1) };
    }

    public HttpClient Http { get; }

    public static async Task<WorkerProcess> StartAsync(PipelineHarness harness, IDictionary<string, string?> extra)
    {
        var url = new Uri($"http://127.0.0.1:{DeepSeek.Pipeline.Local.AzuriteServer.FreePort()}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DeepSeek.Worker.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString());
        foreach (var (key, value) in RunningWorker.Settings(harness).Concat(extra))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var worker = new WorkerProcess(process, url);
        for (int i = 0; i < 300; i++)
        {
            try
            {
                if ((await worker.Http.GetAsync("/api/v1/health")).IsSuccessStatusCode)
                {
                    return worker;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        worker.Dispose();
        throw new InvalidOperationException("The worker process did not answer /api/v1/health.");
    }

    /// <summary>Kills the worker without any chance to finish or release its messages.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        Http.Dispose();
        _process.Dispose();
    }
}
