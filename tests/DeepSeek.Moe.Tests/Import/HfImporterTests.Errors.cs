using DeepSeek.Moe.Import;

namespace DeepSeek.Moe.Tests.Import;

public sealed partial class HfImporterTests
{
    [Fact]
    public void Import_UnsupportedModelType_ThrowsListingSupported()
    {
        var c = FakeModels.Mixtral();
        c.Config["model_type"] = "llama";

        var ex = ImportFails(c);

        Assert.Contains("'llama'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mixtral, deepseek_v2, deepseek_v3, qwen2_moe, qwen3_moe", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mixtral", "experts.5.w2.weight")]
    [InlineData("deepseek_v3", "shared_experts.up_proj.weight")]
    [InlineData("qwen2_moe", "shared_expert_gate.weight")]
    public void Import_MissingTensor_ThrowsNamingTensorAndFolder(string modelType, string suffix)
    {
        var c = Model(modelType);
        var name = FakeModels.Prefix(modelType) + suffix;
        c.Remove(name);

        var ex = ImportFails(c);

        Assert.Contains($"'{name}' not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_temp.Sub("hf"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_WrongShape_ThrowsNamingTensorExpectedAndActual()
    {
        var c = FakeModels.Qwen(qwen3: false, sharedExpert: true);
        var name = FakeModels.Prefix("qwen2_moe") + "experts.3.down_proj.weight";
        c.Remove(name);
        c.Add(name, [FakeModels.Width, FakeModels.Hidden], 0.1);

        var ex = ImportFails(c);

        Assert.Contains($"'{name}' has shape [48, 32], expected [32, 48]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I32", 4, "")]
    [InlineData("F8_E4M3", 1, "dequantized to BF16")]
    public void Import_UnsupportedDtype_ThrowsNamingTensorAndDtype(string dtype, int size, string hint)
    {
        var c = FakeModels.DeepSeekV3();
        var t = c.Tensor(FakeModels.Prefix("deepseek_v3") + "experts.2.gate_proj.weight");
        t.DType = dtype;
        t.RawBytes = new byte[t.Values.Length * size];

        var ex = ImportFails(c);

        Assert.Contains($"'{t.Name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"unsupported dtype {dtype}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(FakeModels.Layers)]
    public void Import_LayerOutOfRange_Throws(int layer)
    {
        var hf = FakeModels.Mixtral().Write(_temp.Sub("hf"));

        var ex = Assert.Throws<ImportException>(() => HfImporter.Import(hf, layer, _temp.Sub("bundle")));

        Assert.Contains($"layer {layer} is out of range", ex.Message, StringComparison.Ordinal);
        Assert.Contains("num_hidden_layers is 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deepseek_v3", 0, "first_k_dense_replace is 1")]
    [InlineData("deepseek_v2", 0, "first_k_dense_replace is 1")]
    [InlineData("qwen2_moe", 0, "mlp_only_layers is [0]")]
    public void Import_DenseLayer_Throws(string modelType, int layer, string reason)
    {
        var hf = Model(modelType).Write(_temp.Sub("hf"));

        var ex = Assert.Throws<ImportException>(() => HfImporter.Import(hf, layer, _temp.Sub("bundle")));

        Assert.Contains($"layer {layer} of this {modelType} checkpoint is a dense MLP", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_QwenLayerOffSparseStep_ThrowsDense()
    {
        var c = FakeModels.Qwen(qwen3: true, sharedExpert: false);
        c.Config["decoder_sparse_step"] = 2;

        var ex = ImportFails(c, layer: 2);

        Assert.Contains("decoder_sparse_step is 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MissingConfigField_ThrowsNamingField()
    {
        var c = FakeModels.DeepSeekV3();
        c.Config.Remove("n_routed_experts");

        var ex = ImportFails(c);

        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("n_routed_experts is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_TopKBeyondGroupLimit_ThrowsNamingFields()
    {
        var c = FakeModels.DeepSeekV3();
        c.Config["num_experts_per_tok"] = 5;

        var ex = ImportFails(c);

        Assert.Contains("num_experts_per_tok is 5, but topk_group 2 groups of 2 experts offer only 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_NoWeightFiles_Throws()
    {
        var hf = _temp.Sub("hf");
        Directory.CreateDirectory(hf);
        File.WriteAllText(Path.Combine(hf, "config.json"), FakeModels.Mixtral().Config.ToJsonString());

        var ex = Assert.Throws<ImportException>(() => HfImporter.Import(hf, FakeModels.Layer, _temp.Sub("bundle")));

        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_NonEmptyOutputFolder_ThrowsIOException()
    {
        var hf = FakeModels.Mixtral().Write(_temp.Sub("hf"));
        Directory.CreateDirectory(_temp.Sub("bundle"));
        File.WriteAllText(Path.Combine(_temp.Sub("bundle"), "keep.txt"), "x");

        Assert.Throws<IOException>(() => HfImporter.Import(hf, FakeModels.Layer, _temp.Sub("bundle")));
    }

    [Fact]
    public void Import_InvalidId_ThrowsArgumentException()
    {
        var hf = FakeModels.Mixtral().Write(_temp.Sub("hf"));

        var ex = Assert.Throws<ArgumentException>(() => HfImporter.Import(hf, FakeModels.Layer, _temp.Sub("bundle"), id: "Bad Id"));

        Assert.Equal("id", ex.ParamName);
        Assert.False(Directory.Exists(_temp.Sub("bundle")));
    }

    private ImportException ImportFails(FakeCheckpoint c, int layer = FakeModels.Layer)
    {
        var hf = c.Write(_temp.Sub("hf"));
        var ex = Assert.Throws<ImportException>(() => HfImporter.Import(hf, layer, _temp.Sub("bundle")));

        // Every check runs before the output folder is made, so a failed import leaves nothing behind.
        Assert.False(Directory.Exists(_temp.Sub("bundle")));
        return ex;
    }

    private static FakeCheckpoint Model(string modelType) => modelType switch
    {
        "mixtral" => FakeModels.Mixtral(),
        "deepseek_v3" => FakeModels.DeepSeekV3(),
        "deepseek_v2" => FakeModels.DeepSeekV2("group_limited_greedy", normTopkProb: true),
        "qwen2_moe" => FakeModels.Qwen(qwen3: false, sharedExpert: true),
        _ => FakeModels.Qwen(qwen3: true, sharedExpert: false),
    };
}
