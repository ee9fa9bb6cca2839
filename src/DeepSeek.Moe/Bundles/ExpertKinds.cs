namespace DeepSeek.Moe.Bundles;

/// <summary>The expert architectures a bundle may hold. Each fixes the ONNX initializer names (see <see cref="Onnx.ExpertGraphs"/>).</summary>
public static class ExpertKinds
{
    /// <summary>Linear -> LayerNorm -> GeLU(erf) -> Linear: the demo expert.</summary>
    public const string LinearLayerNormGelu = "linear-layernorm-gelu";

    /// <summary>down(silu(gate(x)) * up(x)) without biases: Mixtral, DeepSeek and Qwen experts.</summary>
    public const string SwiGlu = "swiglu";

    /// <summary>sigmoid(x . g) * swiglu(x): Qwen's shared expert with its scalar gate.</summary>
    public const string GatedSwiGlu = "gated-swiglu";

    /// <summary>Gets every known kind.</summary>
    public static IReadOnlyList<string> All { get; } = [LinearLayerNormGelu, SwiGlu, GatedSwiGlu];
}
