using System.Text.Json.Nodes;
using DeepSeek.Moe.Import;

namespace DeepSeek.Moe.Tests.Import;

public sealed class HfCheckpointTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_ShardedCheckpoint_FindsTensorsInEveryShard()
    {
        var c = FakeModels.Mixtral();
        var hf = c.Write(_temp.Sub("hf"), "BF16", shards: 4);
        var names = new[] { "gate.weight", "experts.0.w1.weight", "experts.0.w3.weight", "experts.0.w2.weight" }
            .Select(n => FakeModels.Prefix("mixtral") + n).ToArray();

        using var checkpoint = HfCheckpoint.Open(hf);

        Assert.Equal(4, Directory.GetFiles(hf, "model-*-of-00004.safetensors").Length);
        foreach (var name in names)
        {
            Assert.Equal(c[name], checkpoint.Read(name, c.Tensor(name).Shape));
        }

        Assert.Equal(["BF16"], checkpoint.DTypesSeen);
    }

    [Fact]
    public void Require_MissingTensor_NamesTensorAndFolder()
    {
        var hf = FakeModels.Mixtral().Write(_temp.Sub("hf"));
        using var checkpoint = HfCheckpoint.Open(hf);

        var ex = Assert.Throws<ImportException>(() => checkpoint.Require("model.layers.9.nothing.weight", 1));

        Assert.Equal($"tensor 'model.layers.9.nothing.weight' not found in checkpoint '{hf}'", ex.Message);
    }

    [Fact]
    public void Require_IndexNamesShardWithoutTheTensor_Throws()
    {
        var hf = FakeModels.Mixtral().Write(_temp.Sub("hf"), shards: 2);
        var indexPath = Path.Combine(hf, HfCheckpoint.IndexFileName);
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        var name = FakeModels.Prefix("mixtral") + "gate.weight";
        index["weight_map"]![name] = index["weight_map"]![name]!.GetValue<string>().Contains("00001", StringComparison.Ordinal)
            ? "model-00002-of-00002.safetensors"
            : "model-00001-of-00002.safetensors";
        File.WriteAllText(indexPath, index.ToJsonString());
        using var checkpoint = HfCheckpoint.Open(hf);

        var ex = Assert.Throws<ImportException>(() => checkpoint.Require(name, FakeModels.Experts, FakeModels.Hidden));

        Assert.Contains($"tensor '{name}' is mapped to shard", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.safetensors")]
    [InlineData("")]
    public void Open_IndexEntryNotAFileInFolder_Throws(string shard)
    {
        var hf = _temp.Sub("hf");
        Directory.CreateDirectory(hf);
        File.WriteAllText(Path.Combine(hf, "config.json"), "{\"model_type\": \"mixtral\"}");
        File.WriteAllText(Path.Combine(hf, HfCheckpoint.IndexFileName), $"{{\"weight_map\": {{\"w\": \"{shard}\"}}}}");

        var ex = Assert.Throws<ImportException>(() => HfCheckpoint.Open(hf));

        Assert.Contains("maps tensor 'w'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingConfig_Throws()
    {
        var hf = _temp.Sub("hf");
        Directory.CreateDirectory(hf);

        var ex = Assert.Throws<ImportException>(() => HfCheckpoint.Open(hf));

        Assert.Contains("config.json not found", ex.Message, StringComparison.Ordinal);
    }
}
