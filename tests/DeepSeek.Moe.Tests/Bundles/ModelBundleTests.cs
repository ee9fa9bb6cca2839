using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;

namespace DeepSeek.Moe.Tests.Bundles;

public sealed class ModelBundleTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _dir;

    public ModelBundleTests()
    {
        _dir = _folder.Sub("b");
        DemoBundle.Create(_dir, new DemoBundleOptions { DModel = 16, DFf = 32, Experts = 4, TopK = 2 });
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_ValidBundle_ReturnsManifest()
    {
        var bundle = ModelBundle.Load(_dir);

        Assert.Equal("demo", bundle.Manifest.Id);
        Assert.Equal(4, bundle.ExpertCount);
        Assert.Equal(16, bundle.Manifest.DModel);
    }

    [Fact]
    public void Load_MissingFolder_NamesFolder()
    {
        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_folder.Sub("nope")));

        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Load_MissingManifest_NamesManifest()
    {
        File.Delete(Path.Combine(_dir, "moe.json"));

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("moe.json", ex.File);
    }

    [Fact]
    public void Load_MalformedJson_NamesManifest()
    {
        File.WriteAllText(Path.Combine(_dir, "moe.json"), "{ \"id\": \"demo\", ");

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("moe.json", ex.File);
    }

    [Fact]
    public void Load_MissingRequiredField_NamesManifest()
    {
        File.WriteAllText(Path.Combine(_dir, "moe.json"), "{ \"id\": \"demo\" }");

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("moe.json", ex.File);
        Assert.Contains("version", ex.Message);
    }

    [Theory]
    [InlineData("routing.top_k")]
    [InlineData("routing.n_group")]
    [InlineData("routing.correction_bias")]
    [InlineData("routing.temperature")]
    [InlineData("routing.scoring")]
    [InlineData("schema_version")]
    [InlineData("id")]
    [InlineData("experts[1].kind")]
    [InlineData("experts[2].file")]
    [InlineData("experts[0].sha256")]
    [InlineData("d_model")]
    [InlineData("precision")]
    [InlineData("quantization")]
    [InlineData("quantization.block_size")]
    public void Load_BadManifestField_NamesField(string field)
    {
        var m = ModelBundle.ReadManifest(Path.Combine(_dir, "moe.json"));
        var experts = m.Experts.ToList();
        m = field switch
        {
            "routing.top_k" => m with { Routing = m.Routing with { TopK = 5 } },
            "routing.n_group" => m with { Routing = m.Routing with { NGroup = 3 } },
            "routing.correction_bias" => m with { Routing = m.Routing with { CorrectionBias = [0f, 1f] } },
            "routing.temperature" => m with { Routing = m.Routing with { Temperature = 0f } },
            "routing.scoring" => m with { Routing = m.Routing with { Scoring = "relu" } },
            "schema_version" => m with { SchemaVersion = 2 },
            "id" => m with { Id = "Bad Id!" },
            "experts[1].kind" => m with { Experts = Replace(experts, 1, experts[1] with { Kind = "mystery" }) },
            "experts[2].file" => m with { Experts = Replace(experts, 2, experts[2] with { File = "../escape.onnx" }) },
            "experts[0].sha256" => m with { Experts = Replace(experts, 0, experts[0] with { Sha256 = "abc" }) },
            "d_model" => m with { DModel = 0 },
            "precision" => m with { Precision = "int3" },
            "quantization" => m with { Precision = WeightPrecisions.Int4 },
            "quantization.block_size" => m with { Precision = WeightPrecisions.Int8, Quantization = new QuantizationManifest { BlockSize = 24 } },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        ModelBundle.WriteManifest(_dir, m);

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("moe.json", ex.File);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Load_ManifestWithoutPrecision_LoadsAsFp32()
    {
        var path = Path.Combine(_dir, "moe.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(json.Remove("precision"));
        File.WriteAllText(path, json.ToJsonString());

        var bundle = ModelBundle.Load(_dir);

        Assert.Equal(WeightPrecisions.Fp32, bundle.Manifest.Precision);
        Assert.Null(bundle.Manifest.Quantization);
    }

    [Fact]
    public void Load_HandWrittenManifestWithoutOptionalFields_TakesTheirDefaults()
    {
        var path = Path.Combine(_dir, "moe.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("shared_experts");
        json.Remove("schema_version");
        var routing = json["routing"]!.AsObject();
        foreach (var optional in new[] { "scoring", "temperature", "renormalize", "routed_scaling_factor", "n_group", "topk_group", "group_score", "correction_bias", "gumbel_noise" })
        {
            routing.Remove(optional);
        }

        File.WriteAllText(path, json.ToJsonString());

        var m = ModelBundle.ReadManifest(path);
        Assert.Equal(1f, m.Routing.Temperature);
        Assert.Equal(1f, m.Routing.RoutedScalingFactor);
        Assert.Equal(1, m.Routing.NGroup);
        Assert.Equal(ScoringFunctions.Softmax, m.Routing.Scoring);
        Assert.Empty(m.SharedExperts);
        Assert.Equal(MoeManifest.CurrentSchemaVersion, m.SchemaVersion);
        Assert.Equal(ScoringFunctions.Softmax, m.Routing.Scoring);
        Assert.Equal(1f, m.Routing.Temperature);
        Assert.Equal(1f, m.Routing.RoutedScalingFactor);
        Assert.Equal(1, m.Routing.NGroup);
        Assert.Equal(1, m.Routing.TopkGroup);
        Assert.Equal(GroupScoring.Max, m.Routing.GroupScore);
        Assert.Null(m.Routing.CorrectionBias);
        Assert.Equal(2, m.Routing.TopK);
    }

    [Fact]
    public void Load_Fp32WithQuantizationSection_NamesField()
    {
        var m = ModelBundle.ReadManifest(Path.Combine(_dir, "moe.json"));
        ModelBundle.WriteManifest(_dir, m with { Quantization = new QuantizationManifest { BlockSize = 32 } });

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("quantization", ex.Field);
        Assert.Contains("must be absent when precision is fp32", ex.Message);
    }

    [Fact]
    public void Load_ChecksumMismatch_NamesFileAndField()
    {
        var path = Path.Combine(_dir, "expert_001.onnx");
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("expert_001.onnx", ex.File);
        Assert.Equal("sha256", ex.Field);
    }

    [Fact]
    public void Load_MissingExpertFile_NamesFile()
    {
        File.Delete(Path.Combine(_dir, "expert_003.onnx"));

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("expert_003.onnx", ex.File);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void Load_ExpertNotOnnx_NamesFile()
    {
        var path = Path.Combine(_dir, "expert_002.onnx");
        File.WriteAllText(path, "this is not a protobuf \u0001\u0002\u0003");
        Rehash(2);

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("expert_002.onnx", ex.File);
        Assert.Contains("ONNX", ex.Message);
    }

    [Fact]
    public void Load_ExpertWithWrongOutputName_NamesGraphOutput()
    {
        File.Copy(Path.Combine(_dir, "gate.onnx"), Path.Combine(_dir, "expert_000.onnx"), overwrite: true);
        Rehash(0);

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("expert_000.onnx", ex.File);
        Assert.Equal("graph.output", ex.Field);
    }

    [Fact]
    public void Load_DOutDisagreesWithExperts_NamesExpertOutputShape()
    {
        var m = ModelBundle.ReadManifest(Path.Combine(_dir, "moe.json"));
        ModelBundle.WriteManifest(_dir, m with { DOut = 20 });

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("expert_000.onnx", ex.File);
        Assert.Equal("graph.output.y", ex.Field);
        Assert.Contains("[rows, 20]", ex.Message);
    }

    [Fact]
    public void Load_DModelDisagreesWithGate_NamesGateInputShape()
    {
        var m = ModelBundle.ReadManifest(Path.Combine(_dir, "moe.json"));
        ModelBundle.WriteManifest(_dir, m with { DModel = 17 });

        var ex = Assert.Throws<BundleException>(() => ModelBundle.Load(_dir));

        Assert.Equal("gate.onnx", ex.File);
        Assert.Equal("graph.input.x", ex.Field);
    }

    [Fact]
    public void Create_SameSeed_ByteIdenticalFiles()
    {
        var again = DemoBundle.Create(_folder.Sub("again"), new DemoBundleOptions { DModel = 16, DFf = 32, Experts = 4, TopK = 2 });
        var other = DemoBundle.Create(_folder.Sub("other"), new DemoBundleOptions { DModel = 16, DFf = 32, Experts = 4, TopK = 2, Seed = 7 });
        var first = ModelBundle.Load(_dir);

        Assert.Equal(first.Manifest.Experts.Select(e => e.Sha256), again.Manifest.Experts.Select(e => e.Sha256));
        Assert.NotEqual(first.Manifest.Gate.Sha256, other.Manifest.Gate.Sha256);
    }

    [Fact]
    public void Create_NonEmptyFolder_Refuses()
    {
        Assert.Throws<IOException>(() => DemoBundle.Create(_dir, new DemoBundleOptions()));
    }

    private static List<ExpertManifest> Replace(List<ExpertManifest> list, int index, ExpertManifest value)
    {
        list[index] = value;
        return list;
    }

    private void Rehash(int expert)
    {
        var m = ModelBundle.ReadManifest(Path.Combine(_dir, "moe.json"));
        var experts = m.Experts.ToList();
        experts[expert] = experts[expert] with { Sha256 = FileHash.Sha256(Path.Combine(_dir, experts[expert].File)) };
        ModelBundle.WriteManifest(_dir, m with { Experts = experts });
    }
}
