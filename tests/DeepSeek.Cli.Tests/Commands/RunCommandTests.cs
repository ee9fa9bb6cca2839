using System.Text.Json;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;

namespace DeepSeek.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task InitThenRun_DemoBundle_WritesOutputsAndRoutingEqualToEngine()
    {
        var bundleDir = _folder.Sub("demo");
        var init = await CliRunner.RunAsync("model", "init", "--out", bundleDir, "--d-model", "32", "--d-ff", "64", "--experts", "8");
        Assert.Equal(0, init.ExitCode);
        var rows = Rows(3, 32, seed: 1);
        File.WriteAllText(_folder.Sub("in.json"), JsonSerializer.Serialize(new { inputs = rows }));

        var run = await CliRunner.RunAsync("run", "--model", bundleDir, "--input", _folder.Sub("in.json"), "--output", _folder.Sub("out.json"), "--seed", "7");

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(_folder.Sub("out.json")));
        var outputs = doc.RootElement.GetProperty("outputs");
        var routing = doc.RootElement.GetProperty("routing");
        Assert.Equal(3, outputs.GetArrayLength());
        Assert.Equal(7UL, doc.RootElement.GetProperty("seed").GetUInt64());
        using var engine = MoeEngine.CreateOnnx(ModelBundle.Load(bundleDir));
        var expected = engine.Forward(rows.SelectMany(r => r).ToArray(), 3, seed: 7);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(expected.Row(r).ToArray(), outputs[r].EnumerateArray().Select(v => v.GetSingle()).ToArray());
            Assert.Equal(expected.Routing.ExpertsOf(r).ToArray(), routing[r].GetProperty("experts").EnumerateArray().Select(v => v.GetInt32()).ToArray());
            Assert.Equal(2, routing[r].GetProperty("weights").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("{\"inputs\":[[1,2,3]]}", "inputs[0] has 3 values")]
    [InlineData("{\"inputs\":[]}", "at least one row")]
    [InlineData("{\"inputs\":[[1,2", "not valid input JSON")]
    [InlineData("{\"model\":\"other\",\"inputs\":[[1]]}", "names model 'other'")]
    public async Task Run_BadInput_ExitsOneWithClearError(string json, string expected)
    {
        var bundleDir = _folder.Sub("demo");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", bundleDir, "--d-model", "8", "--d-ff", "16", "--experts", "4")).ExitCode);
        File.WriteAllText(_folder.Sub("bad.json"), json);

        var run = await CliRunner.RunAsync("run", "--model", bundleDir, "--input", _folder.Sub("bad.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error);
    }

    [Fact]
    public async Task Run_NonFiniteValue_NamesRowAndColumn()
    {
        var bundleDir = _folder.Sub("demo");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", bundleDir, "--d-model", "4", "--d-ff", "8", "--experts", "4")).ExitCode);
        // JSON has no NaN literal; a value past float range parses as infinity.
        File.WriteAllText(_folder.Sub("inf.json"), "{\"inputs\":[[0,0,0,0],[0,1e39,0,0]]}");

        var run = await CliRunner.RunAsync("run", "--model", bundleDir, "--input", _folder.Sub("inf.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("inputs[1][1]", run.Error);
    }

    [Fact]
    public async Task Run_CorruptBundle_NamesFile()
    {
        var bundleDir = _folder.Sub("demo");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", bundleDir, "--d-model", "8", "--d-ff", "16", "--experts", "4")).ExitCode);
        File.AppendAllText(Path.Combine(bundleDir, "expert_002.onnx"), "x");
        File.WriteAllText(_folder.Sub("in.json"), "{\"inputs\":[[0,0,0,0,0,0,0,0]]}");

        var run = await CliRunner.RunAsync("run", "--model", bundleDir, "--input", _folder.Sub("in.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("expert_002.onnx: sha256", run.Error);
    }

    private static float[][] Rows(int count, int width, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, width).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }
}
