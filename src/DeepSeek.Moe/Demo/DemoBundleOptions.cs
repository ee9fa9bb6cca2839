namespace DeepSeek.Moe.Demo;

/// <summary>The shape and seed of a demo bundle (the source design: 16 experts, top-2, Gumbel softmax at temperature 0.1).</summary>
public sealed record DemoBundleOptions
{
    /// <summary>Gets the model id. <value>Defaults to <c>demo</c>.</value></summary>
    public string Id { get; init; } = "demo";

    /// <summary>Gets the number of routed experts. <value>Defaults to 16.</value></summary>
    public int Experts { get; init; } = 16;

    /// <summary>Gets the experts per row. <value>Defaults to 2.</value></summary>
    public int TopK { get; init; } = 2;

    /// <summary>Gets the model width (input and output). <value>Defaults to 256.</value></summary>
    public int DModel { get; init; } = 256;

    /// <summary>Gets the expert hidden width. <value>Defaults to 1024.</value></summary>
    public int DFf { get; init; } = 1024;

    /// <summary>Gets the weight seed. <value>Defaults to 42.</value></summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the number of expert queue shards; expert i goes to shard i mod shards. <value>Defaults to 4.</value></summary>
    public int Shards { get; init; } = 4;

    /// <summary>Gets the expert architecture: <see cref="Bundles.ExpertKinds.LinearLayerNormGelu"/> (the demo) or <see cref="Bundles.ExpertKinds.SwiGlu"/> (Mixtral-style, plain softmax top-k without noise, renormalized). <value>Defaults to the demo expert.</value></summary>
    public string ExpertKind { get; init; } = Bundles.ExpertKinds.LinearLayerNormGelu;

    /// <summary>Gets the number of shared experts (same kind as the routed ones) that run on every row. <value>Defaults to 0.</value></summary>
    public int SharedExperts { get; init; }

    /// <summary>Gets the gate temperature. <value>Defaults to 0.1.</value></summary>
    public float Temperature { get; init; } = 0.1f;
}
