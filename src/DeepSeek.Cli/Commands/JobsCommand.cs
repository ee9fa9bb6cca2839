using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using DeepSeek.Cli.Remote;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek jobs submit|status|output</c>: batch jobs on a running stack.</summary>
internal static class JobsCommand
{
    public static Command Create(CliConsole console)
    {
        var jobs = new Command("jobs", "Submit batch jobs (JSONL, one {\"inputs\":[[...]]} per line) and read their progress and output.");
        jobs.Add(Submit(console));
        jobs.Add(Status(console));
        jobs.Add(Output(console));
        return jobs;
    }

    private static Command Submit(CliConsole console)
    {
        var remote = new RemoteOptions();
        var file = new Argument<FileInfo>("file") { Description = "The JSONL input." };
        var model = new Option<string>("--model") { Description = "The job's model.", DefaultValueFactory = _ => "demo" };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the job finishes, then write its output." };
        var output = new Option<FileInfo?>("--output") { Description = "With --wait: write the output JSONL here instead of standard output." };
        var command = new Command("submit", "POST /api/v1/jobs and print the job id.") { file, model, wait, output };
        remote.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var input = p.GetValue(file)!;
            if (!input.Exists)
            {
                throw new CliUsageException($"input file '{input.FullName}' does not exist");
            }

            using var client = remote.Client(p);
            await using var stream = input.OpenRead();
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            var (status, text) = await client.SendAsync(HttpMethod.Post, $"api/v1/jobs?model={Uri.EscapeDataString(p.GetValue(model)!)}", content, ct).ConfigureAwait(false);
            if (status != 202)
            {
                await console.Error.WriteLineAsync(text).ConfigureAwait(false);
                return 1;
            }

            var jobId = JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetString()!;
            await console.Error.WriteLineAsync($"Submitted job {jobId}").ConfigureAwait(false);
            if (!p.GetValue(wait))
            {
                await console.Out.WriteLineAsync(jobId).ConfigureAwait(false);
                return 0;
            }

            var final = await WaitAsync(console, client, jobId, ct).ConfigureAwait(false);
            return await WriteOutputAsync(console, client, jobId, p.GetValue(output), ct).ConfigureAwait(false) == 0 && final ? 0 : 1;
        }));
        return command;
    }

    private static Command Status(CliConsole console)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("job-id") { Description = "The job id." };
        var command = new Command("status", "GET /api/v1/jobs/{id}.") { id };
        remote.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            using var client = remote.Client(p);
            var (status, text) = await client.SendAsync(HttpMethod.Get, $"api/v1/jobs/{Uri.EscapeDataString(p.GetValue(id)!)}", null, ct).ConfigureAwait(false);
            await (status == 200 ? console.Out : console.Error).WriteLineAsync(text).ConfigureAwait(false);
            return status == 200 ? 0 : 1;
        }));
        return command;
    }

    private static Command Output(CliConsole console)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("job-id") { Description = "The job id." };
        var output = new Option<FileInfo?>("--output") { Description = "Write the JSONL here instead of standard output." };
        var command = new Command("output", "GET /api/v1/jobs/{id}/output: JSONL in input order.") { id, output };
        remote.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            using var client = remote.Client(p);
            return await WriteOutputAsync(console, client, p.GetValue(id)!, p.GetValue(output), ct).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<bool> WaitAsync(CliConsole console, ApiClient client, string jobId, CancellationToken ct)
    {
        while (true)
        {
            var (status, text) = await client.SendAsync(HttpMethod.Get, $"api/v1/jobs/{jobId}", null, ct).ConfigureAwait(false);
            if (status != 200)
            {
                throw new CliUsageException($"job {jobId}: HTTP {status}: {text}");
            }

            var view = JsonDocument.Parse(text).RootElement;
            string state = view.GetProperty("status").GetString()!;
            int total = view.GetProperty("total").GetInt32(), ok = view.GetProperty("succeeded").GetInt32(), failed = view.GetProperty("failed").GetInt32();
            await console.Error.WriteAsync($"\r{ProgressBar.Render(ok + failed, total)} {ok + failed}/{total} lines, {failed} failed ({state})   ").ConfigureAwait(false);
            if (state is "succeeded" or "failed")
            {
                await console.Error.WriteLineAsync().ConfigureAwait(false);
                return state == "succeeded";
            }

            await Task.Delay(500, ct).ConfigureAwait(false);
        }
    }

    private static async Task<int> WriteOutputAsync(CliConsole console, ApiClient client, string jobId, FileInfo? target, CancellationToken ct)
    {
        var (status, text) = await client.SendAsync(HttpMethod.Get, $"api/v1/jobs/{Uri.EscapeDataString(jobId)}/output", null, ct).ConfigureAwait(false);
        if (status != 200)
        {
            await console.Error.WriteLineAsync(text).ConfigureAwait(false);
            return 1;
        }

        if (target is null)
        {
            await console.Out.WriteAsync(text).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(target.FullName, text, ct).ConfigureAwait(false);
            await console.Error.WriteLineAsync($"Wrote {text.Count(c => c == '\n')} lines to {target.FullName}").ConfigureAwait(false);
        }

        return 0;
    }
}
