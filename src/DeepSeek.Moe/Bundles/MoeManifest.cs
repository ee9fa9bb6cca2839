namespace DeepSeek.Moe.Bundles;

/// <summary>
/// The manifest of a model bundle, stored as <c>moe.json</c> beside the ONNX files. Optional properties with a default
/// are settable, as in <see cref="RoutingSettings"/>, so a hand-written manifest that leaves them out gets the default.
/// </summary>
public sealed record MoeManifest
{
    private readonly string? _precision;

    /// <summary>The manifest schema this code writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The file name of the manifest inside a bundle folder.</summary>
    public const string FileName = "moe.json";

    /// <summary>Gets or sets the schema version. <value>Defaults to <see cref="CurrentSchemaVersion"/>.</value></summary>
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Gets the model id callers name in requests (for example <c>demo</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the model version recorded in every result and audit record.</summary>
    public required string Version { get; init; }

    /// <summary>Gets the width of an input row.</summary>
    public required int DModel { get; init; }

    /// <summary>Gets the width of an output row.</summary>
    public required int DOut { get; init; }

    /// <summary>Gets the routing settings of the gate.</summary>
    public required RoutingSettings Routing { get; init; }

    /// <summary>Gets the gate (router) file.</summary>
    public required GateManifest Gate { get; init; }

    /// <summary>Gets the routed experts, in expert-index order.</summary>
    public required IReadOnlyList<ExpertManifest> Experts { get; init; }

    /// <summary>Gets or sets the shared experts that run on every row. <value>Defaults to none.</value></summary>
    public IReadOnlyList<ExpertManifest> SharedExperts { get; set; } = [];

    /// <summary>Gets the weight precision of the expert files (<see cref="WeightPrecisions"/>). <value>Defaults to <c>fp32</c>, which is what a manifest without the field means.</value></summary>
    public string Precision
    {
        // The source-generated reader sets every init property, null where moe.json omits it: the default lives in the getter.
        get => _precision ?? WeightPrecisions.Fp32;
        init => _precision = value;
    }

    /// <summary>Gets how the weights were converted when <see cref="Precision"/> is not <c>fp32</c>. <value>Defaults to none.</value></summary>
    public QuantizationManifest? Quantization { get; init; }

    /// <summary>Gets where the weights came from (for example <c>demo seed 42</c> or <c>mixtral layer 3</c>).</summary>
    public string? Source { get; init; }
}
