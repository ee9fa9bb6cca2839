using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using DeepSeek.Cli.Run;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek run</c>: one in-process forward pass over a JSON file.</summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The bundle folder.", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "JSON {\"inputs\":[[...],...]} (the HTTP request body).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Where to write {\"outputs\",\"routing\",...}; '-' for standard output.", DefaultValueFactory = _ => new FileInfo("-") };
        var seed = new Option<ulong?>("--seed") { Description = "Routing noise seed; drawn at random and recorded when absent." };
        var backend = new Option<string>("--backend") { Description = "Expert backend.", DefaultValueFactory = _ => MoeBackends.OnnxCpu };
        backend.AcceptOnlyFromAmong([.. MoeBackends.All]);
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per session (0: all cores).", DefaultValueFactory = _ => 0 };
        var command = new Command("run", "Run a bundle in-process on a JSON input file.") { model, input, output, seed, backend, threads };
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var bundle = ModelBundle.Load(p.GetValue(model)!.FullName);
            var request = await ReadInputAsync(p.GetValue(input)!, ct).ConfigureAwait(false);
            if (request.Model is { } named && named != bundle.Manifest.Id)
            {
                throw new CliUsageException($"the input names model '{named}', but --model holds '{bundle.Manifest.Id}'");
            }

            var x = InputMatrix.Flatten(request.Inputs, bundle.Manifest.DModel);
            int rows = request.Inputs!.Length;
            ulong seedValue = p.GetValue(seed) ?? request.Options?.Seed ?? RandomSeed();
            using var engine = MoeBackends.Create(bundle, p.GetValue(backend)!, new ExpertRuntimeOptions { IntraOpThreads = p.GetValue(threads) });
            var result = engine.Forward(x, rows, seedValue);
            var response = ToOutput(bundle, engine.Backend, result);
            await WriteOutputAsync(console, p.GetValue(output)!, response, ct).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    internal static RunOutput ToOutput(ModelBundle bundle, string backend, MoeOutput result)
    {
        var outputs = new float[result.Rows][];
        var routing = new RowRouting[result.Rows];
        for (int r = 0; r < result.Rows; r++)
        {
            outputs[r] = result.Row(r).ToArray();
            routing[r] = new RowRouting(result.Routing.ExpertsOf(r).ToArray(), result.Routing.WeightsOf(r).ToArray());
        }

        return new RunOutput(new ModelRef(bundle.Manifest.Id, bundle.Manifest.Version), result.Routing.Seed, backend, outputs, routing);
    }

    private static async Task<RunInput> ReadInputAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"input file '{file.FullName}' does not exist");
        }

        await using var stream = file.OpenRead();
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, CliJsonContext.Default.RunInput, ct).ConfigureAwait(false)
                ?? throw new CliUsageException($"{file.Name}: expected {{\"inputs\":[[...],...]}}, found null");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"{file.Name}: not valid input JSON at {ex.Path ?? "$"} (line {ex.LineNumber + 1}): expected {{\"inputs\":[[...],...]}}");
        }
    }

    private static async Task WriteOutputAsync(CliConsole console, FileInfo file, RunOutput response, CancellationToken ct)
    {
        if (file.ToString() == "-")
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(response, CliJsonContext.Default.RunOutput)).ConfigureAwait(false);
            return;
        }

        file.Directory?.Create();
        await using (var stream = file.Create())
        {
            await JsonSerializer.SerializeAsync(stream, response, CliJsonContext.Default.RunOutput, ct).ConfigureAwait(false);
        }

        await console.Out.WriteLineAsync($"Wrote {response.Outputs.Length} rows to {file.FullName} (model {response.Model.Id} {response.Model.Version}, seed {response.Seed}, {response.Backend})").ConfigureAwait(false);
    }

    private static ulong RandomSeed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
}
