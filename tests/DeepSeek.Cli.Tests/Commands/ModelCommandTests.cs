namespace DeepSeek.Cli.Tests.Commands;

public sealed class ModelCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Init_Defaults_WritesSixteenExpertTopTwoDemo()
    {
        var dir = _folder.Sub("demo");

        var init = await CliRunner.RunAsync("model", "init", "--out", dir);
        var inspect = await CliRunner.RunAsync("model", "inspect", dir);

        Assert.Equal(0, init.ExitCode);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("16 routed + 0 shared experts", inspect.Out);
        Assert.Contains("softmax, top-2, temperature 0.1", inspect.Out);
        Assert.Contains("gumbel noise True", inspect.Out);
        Assert.Equal(16, Directory.GetFiles(dir, "expert_*.onnx").Length);
    }

    [Fact]
    public async Task Init_IntoNonEmptyFolder_ExitsOne()
    {
        var dir = _folder.Sub("full");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "mine");

        var init = await CliRunner.RunAsync("model", "init", "--out", dir);

        Assert.Equal(1, init.ExitCode);
        Assert.Contains("not empty", init.Error);
        Assert.True(File.Exists(Path.Combine(dir, "keep.txt")));
    }

    [Fact]
    public async Task Inspect_TamperedBundle_ExitsOneNamingFile()
    {
        var dir = _folder.Sub("demo");
        Assert.Equal(0, (await CliRunner.RunAsync("model", "init", "--out", dir, "--d-model", "8", "--d-ff", "16", "--experts", "4")).ExitCode);
        File.AppendAllText(Path.Combine(dir, "gate.onnx"), "tamper");

        var inspect = await CliRunner.RunAsync("model", "inspect", dir);

        Assert.Equal(1, inspect.ExitCode);
        Assert.Contains("gate.onnx: sha256: checksum mismatch", inspect.Error);
    }

    [Fact]
    public async Task Init_TopKAboveExperts_ExitsOne()
    {
        var init = await CliRunner.RunAsync("model", "init", "--out", _folder.Sub("x"), "--experts", "2", "--top-k", "3");

        Assert.Equal(1, init.ExitCode);
        Assert.Contains("TopK", init.Error);
    }

    [Fact]
    public async Task Import_UnsupportedModelType_ExitsOneListingSupportedTypes()
    {
        var hf = _folder.Sub("hf");
        Directory.CreateDirectory(hf);
        File.WriteAllText(Path.Combine(hf, "config.json"), "{\"model_type\": \"llama\", \"hidden_size\": 8}");

        var import = await CliRunner.RunAsync("model", "import", "--hf", hf, "--layer", "0", "--out", _folder.Sub("out"));

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("llama", import.Error);
        Assert.Contains("mixtral", import.Error);
        Assert.False(Directory.Exists(_folder.Sub("out")));
    }
}
