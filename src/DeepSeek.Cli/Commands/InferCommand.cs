using System.CommandLine;
using DeepSeek.Cli.Remote;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek infer</c>: one request to a running stack over HTTP.</summary>
internal static class InferCommand
{
    public static Command Create(CliConsole console)
    {
        var remote = new RemoteOptions();
        var input = new Option<FileInfo>("--input") { Description = "JSON {\"model\":\"demo\",\"inputs\":[[...]],\"options\":{\"seed\":N}}.", Required = true };
        var model = new Option<string?>("--model") { Description = "The model id, when the input file does not name one." };
        var asyncMode = new Option<bool>("--async") { Description = "Answer 202 at once instead of waiting for the result." };
        var output = new Option<FileInfo?>("--output") { Description = "Write the response here instead of standard output." };
        var command = new Command("infer", "POST /api/v1/infer to a running stack.") { input, model, asyncMode, output };
        remote.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var file = p.GetValue(input)!;
            if (!file.Exists)
            {
                throw new CliUsageException($"input file '{file.FullName}' does not exist");
            }

            var body = await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false);
            if (p.GetValue(model) is { } id)
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(body)?.AsObject() ?? throw new CliUsageException($"{file.Name} is not a JSON object");
                node["model"] = id;
                body = node.ToJsonString();
            }

            using var client = remote.Client(p);
            var (status, text) = await client.SendAsync(HttpMethod.Post, p.GetValue(asyncMode) ? "api/v1/infer?mode=async" : "api/v1/infer", ApiClient.Json(body), ct).ConfigureAwait(false);
            if (p.GetValue(output) is { } target && status < 400)
            {
                await File.WriteAllTextAsync(target.FullName, text, ct).ConfigureAwait(false);
                await console.Out.WriteLineAsync($"HTTP {status}: wrote {target.FullName}").ConfigureAwait(false);
            }
            else
            {
                await (status < 400 ? console.Out : console.Error).WriteLineAsync(text).ConfigureAwait(false);
            }

            return status < 400 ? 0 : 1;
        }));
        return command;
    }
}
