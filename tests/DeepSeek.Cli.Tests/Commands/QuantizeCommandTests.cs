using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;

namespace DeepSeek.Cli.Tests.Commands;

public sealed partial class QuantizeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Quantize_FourBitDemoBundle_QuarterOfTheSizeSameRoutingErrorReported()
    {
        var fp32 = _folder.Sub("fp32");
        var int4 = _folder.Sub("int4");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", fp32)).ExitCode);

        var quantize = await CliRunner.RunAsync("model", "quantize", fp32, "--bits", "4", "--out", int4);

        Assert.Equal(0, quantize.ExitCode);
        var sourceBytes = Directory.GetFiles(fp32).Sum(f => new FileInfo(f).Length);
        var int4Bytes = Directory.GetFiles(int4).Sum(f => new FileInfo(f).Length);
        Assert.True(int4Bytes <= 0.25 * sourceBytes, $"int4 {int4Bytes} bytes, fp32 {sourceBytes}");
        Assert.Contains($"fp32 18 files {sourceBytes.ToString("N0", CultureInfo.InvariantCulture),14} bytes", quantize.Out);
        Assert.Contains($"int4 18 files {int4Bytes.ToString("N0", CultureInfo.InvariantCulture),14} bytes", quantize.Out);
        var error = ErrorLine().Match(quantize.Out);
        Assert.True(error.Success, quantize.Out);
        Assert.InRange(double.Parse(error.Groups["mean"].Value, CultureInfo.InvariantCulture), 1e-4, double.Parse(error.Groups["max"].Value, CultureInfo.InvariantCulture));
        var routing = RoutingLine().Match(quantize.Out);
        Assert.True(routing.Success, quantize.Out);
        Assert.True(int.Parse(routing.Groups["differ"].Value, CultureInfo.InvariantCulture) <= 10, routing.Value);
        Assert.Equal("1024", routing.Groups["rows"].Value);
    }

    [Fact]
    public async Task QuantizeThenRun_Int8Bundle_RunsAndInspectShowsPrecision()
    {
        var fp32 = _folder.Sub("fp32");
        var int8 = _folder.Sub("int8");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", fp32, "--d-model", "32", "--d-ff", "64", "--experts", "8")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("model", "quantize", fp32, "--bits", "8", "--block-size", "16", "--out", int8, "--sample", "64")).ExitCode);
        var rows = TestData.Gaussian(3 * 32, seed: 4);
        File.WriteAllText(_folder.Sub("in.json"), JsonSerializer.Serialize(new { inputs = rows.Chunk(32) }));

        var run = await CliRunner.RunAsync("run", "--model", int8, "--input", _folder.Sub("in.json"), "--output", _folder.Sub("out.json"), "--seed", "7");
        var inspect = await CliRunner.RunAsync("model", "inspect", int8);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(_folder.Sub("out.json")));
        Assert.Equal("1.0.0-seed42-int8", doc.RootElement.GetProperty("model").GetProperty("version").GetString());
        using var engine = MoeEngine.CreateOnnx(ModelBundle.Load(int8));
        var expected = engine.Forward(rows, 3, seed: 7);
        Assert.Equal(expected.Row(2).ToArray(), doc.RootElement.GetProperty("outputs")[2].EnumerateArray().Select(v => v.GetSingle()).ToArray());
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("(schema 1, int8)", inspect.Out);
        Assert.Contains("int8: blocks of 16 along K, asymmetric; gate fp32; from demo 1.0.0-seed42", inspect.Out);
    }

    [Theory]
    [InlineData(new[] { "--bits", "3" }, "--bits must be 8 or 4, not 3")]
    [InlineData(new[] { "--bits", "4", "--block-size", "24" }, "block size 24 is not allowed: a block size must be a power of two from 16 to 256")]
    [InlineData(new[] { "--bits", "8", "--block-size", "8" }, "block size 8 is not allowed")]
    [InlineData(new[] { "--bits", "4", "--fp16" }, "--bits and --fp16 exclude each other")]
    [InlineData(new string[0], "choose --bits 8, --bits 4 or --fp16")]
    [InlineData(new[] { "--fp16", "--symmetric" }, "symmetric blocks apply to int8 and int4 only")]
    public async Task Quantize_BadOptions_ExitsOneWithClearErrorAndWritesNothing(string[] options, string message)
    {
        var fp32 = _folder.Sub("fp32");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", fp32, "--d-model", "8", "--d-ff", "16", "--experts", "4")).ExitCode);

        var quantize = await CliRunner.RunAsync(["model", "quantize", fp32, "--out", _folder.Sub("q"), .. options]);

        Assert.Equal(1, quantize.ExitCode);
        Assert.Contains(message, quantize.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Sub("q")));
    }

    [Fact]
    public async Task Quantize_QuantizedSource_ExitsOneNamingItsPrecision()
    {
        var fp32 = _folder.Sub("fp32");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", fp32, "--d-model", "16", "--d-ff", "32", "--experts", "4")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("model", "quantize", fp32, "--fp16", "--out", _folder.Sub("fp16"), "--sample", "0")).ExitCode);

        var again = await CliRunner.RunAsync("model", "quantize", _folder.Sub("fp16"), "--bits", "4", "--out", _folder.Sub("int4"));

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is already fp16; convert its fp32 source instead", again.Error);
    }

    [GeneratedRegex(@"output \|error\| max (?<max>[0-9.E-]+), mean (?<mean>[0-9.E-]+)")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"rows whose top-2 experts differ: (?<differ>\d+) of (?<rows>\d+)")]
    private static partial Regex RoutingLine();
}
