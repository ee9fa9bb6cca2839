using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Import;

/// <summary>
/// Imports one MoE layer of a Hugging Face checkpoint (<c>config.json</c> plus <c>model.safetensors</c> or
/// the shards of <c>model.safetensors.index.json</c>; F32, F16 or BF16) as a model bundle: <c>gate.onnx</c>,
/// one SwiGLU <c>expert_NNN.onnx</c> per routed expert and <c>shared_000.onnx</c> where the layer has a
/// shared expert. The bundle computes what the architecture's Hugging Face modeling code computes.
/// </summary>
public static class HfImporter
{
    /// <summary>Gets the <c>model_type</c> values that can be imported.</summary>
    public static IReadOnlyList<string> SupportedModelTypes { get; } =
        [MixtralLayout.ModelType, DeepSeekLayout.V2, DeepSeekLayout.V3, QwenMoeLayout.Qwen2, QwenMoeLayout.Qwen3];

    /// <summary>Imports one MoE layer into a new bundle folder and loads it back.</summary>
    /// <param name="hfDirectory">The checkpoint folder.</param>
    /// <param name="layer">The decoder layer index, from 0.</param>
    /// <param name="outDirectory">The bundle folder to write; it must be empty or absent.</param>
    /// <param name="id">The model id. <value>Defaults to <c>{model_type}-layer{N}</c>.</value></param>
    /// <param name="shards">The number of expert queue shards; expert i goes to shard i mod shards. <value>Defaults to 4.</value></param>
    /// <returns>The validated bundle.</returns>
    /// <remarks>
    /// Config fields the routing needs and the checkpoint omits take these defaults: DeepSeek
    /// <c>scoring_func</c> sigmoid (V3) or softmax (V2), <c>topk_method</c> noaux_tc (V3) or greedy (V2),
    /// <c>n_group</c> 1, <c>norm_topk_prob</c> true (V3) or false (V2), <c>routed_scaling_factor</c> 1,
    /// <c>first_k_dense_replace</c> 0, <c>moe_layer_freq</c> 1, <c>n_shared_experts</c> 0; Qwen
    /// <c>norm_topk_prob</c> false (qwen2_moe) or true (qwen3_moe), <c>decoder_sparse_step</c> 1.
    /// </remarks>
    /// <exception cref="ImportException">The model_type or a dtype is unsupported, a tensor is missing or misshapen, a
    /// safetensors file is corrupt, or the layer is out of range or dense. Nothing is written in these cases.</exception>
    /// <exception cref="ArgumentException">A path is empty, <paramref name="id"/> is not a valid model id, or <paramref name="shards"/> is below 1.</exception>
    /// <exception cref="IOException">The output folder exists and is not empty.</exception>
    public static ModelBundle Import(string hfDirectory, int layer, string outDirectory, string? id = null, int shards = 4)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hfDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var full = Path.GetFullPath(hfDirectory);
        if (Directory.Exists(full))
        {
            // The model type decides everything else: say it is unsupported before looking for weights.
            RequireSupported(HfConfig.Load(full).ModelType);
        }

        using var checkpoint = HfCheckpoint.Open(full);
        var layout = Describe(checkpoint, layer);
        var bundleId = id ?? $"{layout.ModelType}-layer{layer}";
        if (!ManifestValidator.IsValidId(bundleId))
        {
            throw new ArgumentException($"The model id '{bundleId}' must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.", nameof(id));
        }

        layout.Validate();
        foreach (var (name, shape) in layout.Tensors())
        {
            checkpoint.Require(name, shape);
        }

        BundleFolder.PrepareEmpty(outDirectory);
        var manifest = MoeLayerWriter.Write(checkpoint, layout, outDirectory, bundleId, shards);
        ModelBundle.WriteManifest(outDirectory, manifest);
        return ModelBundle.Load(outDirectory);
    }

    private static MoeLayerLayout Describe(HfCheckpoint checkpoint, int layer)
    {
        var type = checkpoint.Config.ModelType;
        RequireSupported(type);

        int layers = checkpoint.Config.Int("num_hidden_layers");
        if (layer < 0 || layer >= layers)
        {
            throw new ImportException($"layer {layer} is out of range: config.json num_hidden_layers is {layers}, so layers are 0 to {layers - 1}");
        }

        return type switch
        {
            MixtralLayout.ModelType => MixtralLayout.Describe(checkpoint, layer),
            DeepSeekLayout.V2 or DeepSeekLayout.V3 => DeepSeekLayout.Describe(checkpoint, layer, type == DeepSeekLayout.V3),
            _ => QwenMoeLayout.Describe(checkpoint, layer, type == QwenMoeLayout.Qwen3),
        };
    }

    private static void RequireSupported(string type)
    {
        if (!SupportedModelTypes.Contains(type))
        {
            throw new ImportException($"model_type '{type}' in config.json is not supported; supported: {string.Join(", ", SupportedModelTypes)}");
        }
    }
}
