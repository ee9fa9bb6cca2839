using System.Text.Json;
using DeepSeek.Cli;
using DeepSeek.Moe.Demo;

namespace DeepSeek.Moe.Native.Tests.Cli;

public sealed class RunCommandNativeTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task Run_NativeCpu_EqualsOnnxCpu()
    {
        using var folder = new TempFolder();
        var options = new DemoBundleOptions { Experts = 8, DModel = 64, DFf = 96 };
        DemoBundle.Create(folder.Sub("model"), options);
        const int rows = 6;
        var x = TestData.Gaussian(rows * options.DModel, seed: 4);
        var inputs = Enumerable.Range(0, rows).Select(r => x.AsSpan(r * options.DModel, options.DModel).ToArray()).ToArray();
        await File.WriteAllTextAsync(folder.Sub("in.json"), JsonSerializer.Serialize(new { inputs }));

        using var onnx = await RunAsync(folder, "onnx-cpu");
        using var native = await RunAsync(folder, "native-cpu");

        Assert.Equal("native-cpu", native.RootElement.GetProperty("backend").GetString());
        Assert.Equal(Routing(onnx), Routing(native));
        Assert.InRange(TestData.MaxAbsDiff(Outputs(onnx), Outputs(native)), 0, Tolerance);
    }

    [Fact]
    public async Task Run_NativeCudaWithoutItsLibrary_FailsNamingThePathTried()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libdeepseek_moe_cuda.so");
        if (!OperatingSystem.IsLinux() || File.Exists(path))
        {
            return;
        }

        using var folder = new TempFolder();
        DemoBundle.Create(folder.Sub("model"), new DemoBundleOptions { Experts = 4, DModel = 8, DFf = 16 });
        await File.WriteAllTextAsync(folder.Sub("in.json"), """{"inputs":[[1,2,3,4,5,6,7,8]]}""");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = await CliApp.RunAsync(["run", "--model", folder.Sub("model"), "--input", folder.Sub("in.json"), "--backend", "native-cuda"], stdout, stderr);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(path, stderr.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> RunAsync(TempFolder folder, string backend)
    {
        string output = folder.Sub($"out-{backend}.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int code = await CliApp.RunAsync(
            ["run", "--model", folder.Sub("model"), "--input", folder.Sub("in.json"), "--output", output, "--seed", "17", "--backend", backend],
            stdout, stderr);

        Assert.True(code == 0, $"deepseek run --backend {backend} exited {code}: {stderr}");
        return JsonDocument.Parse(await File.ReadAllTextAsync(output));
    }

    private static float[] Outputs(JsonDocument doc) =>
        [.. doc.RootElement.GetProperty("outputs").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle()))];

    private static int[] Routing(JsonDocument doc) =>
        [.. doc.RootElement.GetProperty("routing").EnumerateArray().SelectMany(row => row.GetProperty("experts").EnumerateArray().Select(e => e.GetInt32()))];
}
