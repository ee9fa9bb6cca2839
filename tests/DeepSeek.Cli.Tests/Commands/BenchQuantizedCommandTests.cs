using System.Text.Json;

namespace DeepSeek.Cli.Tests.Commands;

public sealed class BenchQuantizedCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BenchQuantized_SmallModelJson_RatioIsFp32BytesOverInt4Bytes()
    {
        var fp32 = _folder.Sub("fp32");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", fp32, "--d-model", "64", "--d-ff", "128", "--experts", "4")).ExitCode);

        var bench = await CliRunner.RunAsync("bench", "quantized", "--model", fp32, "--json", "--batch", "32", "--iterations", "2", "--threads", "1");

        Assert.Equal(0, bench.ExitCode);
        using var json = JsonDocument.Parse(bench.Out);
        var root = json.RootElement;
        var bytes = root.GetProperty("bytes");
        Assert.Equal("quantized", root.GetProperty("benchmark").GetString());
        Assert.Equal(Math.Round((double)bytes.GetProperty("fp32").GetInt64() / bytes.GetProperty("int4").GetInt64(), 3), root.GetProperty("ratio").GetDouble());
        Assert.Equal(["fp32", "fp16", "int8", "int4"], root.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("precision").GetString()));
        Assert.All(root.GetProperty("cases").EnumerateArray().Skip(1), c => Assert.Equal(1.0, c.GetProperty("routingAgreement").GetDouble()));
        Assert.True(root.GetProperty("rowsPerSecond").GetProperty("int4").GetDouble() > 0);
        Assert.Contains("[4/4] int4", bench.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchQuantized_Table_ShowsEveryPrecisionSideBySide()
    {
        var fp32 = _folder.Sub("fp32");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", fp32, "--d-model", "32", "--d-ff", "64", "--experts", "4")).ExitCode);

        var bench = await CliRunner.RunAsync("bench", "quantized", "--model", fp32, "--batch", "16", "--iterations", "1", "--block-size", "16");

        Assert.Equal(0, bench.ExitCode);
        Assert.Contains("4-bit blocks of 16, MatMulNBits", bench.Out, StringComparison.Ordinal);
        Assert.Contains("bytes fp32/int4 ", bench.Out, StringComparison.Ordinal);
        Assert.Equal(["fp32", "fp16", "int8", "int4"], bench.Out.Split('\n').Skip(4).Take(4).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public async Task BenchQuantized_Int4Source_ExitsOneNamingItsPrecision()
    {
        var fp32 = _folder.Sub("fp32");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", fp32, "--d-model", "16", "--d-ff", "32", "--experts", "4")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("model", "quantize", fp32, "--bits", "4", "--block-size", "16", "--out", _folder.Sub("int4"), "--sample", "0")).ExitCode);

        var bench = await CliRunner.RunAsync("bench", "quantized", "--model", _folder.Sub("int4"), "--iterations", "1");

        Assert.Equal(1, bench.ExitCode);
        Assert.Contains("is already int4", bench.Error, StringComparison.Ordinal);
    }
}
