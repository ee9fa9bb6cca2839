using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeepSeek.Pipeline.Local;

namespace DeepSeek.Cli.Tests.Commands;

/// <summary><c>deepseek local up</c> as a user runs it (npm Azurite and the worker, in-process), then the CLI against it.</summary>
public sealed partial class LocalCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Up_AuthOn_PrintsADevelopmentTokenThatInferAcceptsAndRefusesWithoutIt()
    {
        var input = await PrepareAsync();
        await using var stack = await Stack.StartAsync(_folder, []);

        var token = TokenLine().Match(stack.Output).Groups[1].Value;
        var withToken = await CliRunner.RunAsync("infer", "--url", stack.Url, "--input", input, "--token", token);
        var without = await CliRunner.RunAsync("infer", "--url", stack.Url, "--input", input);

        Assert.NotEmpty(token);
        Assert.Contains("Authorization: Bearer $DEEPSEEK_TOKEN", stack.Output);
        Assert.True(withToken.ExitCode == 0, withToken.Error);
        Assert.Equal(2, JsonDocument.Parse(withToken.Out).RootElement.GetProperty("outputs").GetArrayLength());
        Assert.Equal(1, without.ExitCode);
        Assert.Contains("\"status\":401", without.Error);
        Assert.Contains("hint: pass --token", without.Error);
        Assert.True(File.Exists(Path.Combine(_folder.Path, "auth", "dev-signing-key.pem")));
    }

    [Fact]
    public async Task Up_NoAuth_WarnsLoudlyAndAnswersWithoutToken()
    {
        var input = await PrepareAsync();
        await using var stack = await Stack.StartAsync(_folder, ["--no-auth"]);

        var infer = await CliRunner.RunAsync("infer", "--url", stack.Url, "--input", input);

        Assert.Contains("AUTHENTICATION IS OFF", stack.Output);
        Assert.Contains("AUTHENTICATION IS OFF", stack.Error);
        Assert.DoesNotContain("DEEPSEEK_TOKEN=", stack.Output);
        Assert.True(infer.ExitCode == 0, infer.Error);
    }

    private async Task<string> PrepareAsync()
    {
        var init = await CliRunner.RunAsync("model", "init", "--out", _folder.Sub("models/small"), "--d-model", "16", "--d-ff", "32", "--experts", "4", "--shards", "1");
        Assert.Equal(0, init.ExitCode);
        var rng = new Random(3);
        var path = _folder.Sub("req.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { model = "demo", inputs = new[] { Row(rng), Row(rng) } }));
        return path;
    }

    private static double[] Row(Random rng) => [.. Enumerable.Range(0, 16).Select(_ => rng.NextDouble())];

    [GeneratedRegex(@"export DEEPSEEK_TOKEN=(\S+)")]
    private static partial Regex TokenLine();

    /// <summary>A running <c>local up</c>: its output so far, stopped (as Ctrl-C would) on dispose.</summary>
    private sealed class Stack : IAsyncDisposable
    {
        private readonly StringWriter _out = new();
        private readonly StringWriter _error = new();
        private readonly TextWriter _syncOut;
        private readonly TextWriter _syncError;
        private readonly CancellationTokenSource _stop = new();
        private Task<int>? _run;

        private Stack()
        {
            _syncOut = TextWriter.Synchronized(_out);
            _syncError = TextWriter.Synchronized(_error);
        }

        public string Url { get; private set; } = "";

        public string Output => Read(_syncOut, _out);

        public string Error => Read(_syncError, _error);

        public static async Task<Stack> StartAsync(TempFolder folder, string[] extra)
        {
            var stack = new Stack();
            int port = AzuriteServer.FreePort();
            stack.Url = $"http://127.0.0.1:{port}";
            string[] args = ["local", "up", "--data", folder.Path, "--model", folder.Sub("models"), "--port", $"{port}", .. extra];
            stack._run = Task.Run(() => CliApp.RunAsync(args, stack._syncOut, stack._syncError, stack._stop.Token));
            for (int i = 0; i < 1200 && !stack.Output.Contains("Ctrl-C stops", StringComparison.Ordinal); i++)
            {
                if (stack._run.IsCompleted)
                {
                    throw new InvalidOperationException($"local up ended early ({await stack._run}): {stack.Output}{stack.Error}");
                }

                await Task.Delay(100);
            }

            return stack;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_run is not null)
            {
                Assert.Equal(0, await _run);
            }

            _stop.Dispose();
        }

        private static string Read(TextWriter sync, StringWriter inner)
        {
            // TextWriter.Synchronized locks the wrapper for every write: reading under the same lock sees whole writes.
            lock (sync)
            {
                return inner.ToString();
            }
        }
    }
}
