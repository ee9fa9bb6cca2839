using System.Text.Json;

namespace DeepSeek.Moe.Import;

/// <summary>The <c>config.json</c> of a Hugging Face checkpoint; a JSON <c>null</c> counts as absent.</summary>
internal sealed class HfConfig
{
    /// <summary>The file name of the config inside a checkpoint folder.</summary>
    public const string FileName = "config.json";

    private readonly JsonElement _root;
    private readonly string _directory;

    private HfConfig(JsonElement root, string directory)
    {
        _root = root;
        _directory = directory;
    }

    /// <summary>Gets the <c>model_type</c>.</summary>
    public string ModelType => String("model_type") ?? throw Problem("model_type", "is missing");

    /// <summary>Reads <c>config.json</c> from a checkpoint folder.</summary>
    /// <exception cref="ImportException">The file is missing or is not a JSON object.</exception>
    public static HfConfig Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new ImportException($"'{directory}' is not a Hugging Face checkpoint: {FileName} not found");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? new HfConfig(doc.RootElement.Clone(), directory)
                : throw new ImportException($"{FileName} in '{directory}' is a JSON {doc.RootElement.ValueKind}, expected an object");
        }
        catch (JsonException ex)
        {
            throw new ImportException($"{FileName} in '{directory}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Gets whether a field is present and not null.</summary>
    public bool Has(string name) => Get(name) is not null;

    /// <summary>Gets a required integer field.</summary>
    /// <exception cref="ImportException">The field is missing or not an integer.</exception>
    public int Int(string name) => Get(name) is { } v
        ? AsInt(v, name)
        : throw Problem(name, "is missing");

    /// <summary>Gets an optional integer field.</summary>
    public int Int(string name, int fallback) => Get(name) is { } v ? AsInt(v, name) : fallback;

    /// <summary>Gets an optional number field.</summary>
    public float Float(string name, float fallback) => Get(name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.Number } v => v.GetSingle(),
        var v => throw Problem(name, $"is '{v}', expected a number"),
    };

    /// <summary>Gets an optional boolean field.</summary>
    public bool Bool(string name, bool fallback) => Get(name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var v => throw Problem(name, $"is '{v}', expected true or false"),
    };

    /// <summary>Gets an optional string field.</summary>
    public string? String(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        var v => throw Problem(name, $"is '{v}', expected a string"),
    };

    /// <summary>Gets an optional list of integers, empty when absent.</summary>
    public IReadOnlyList<int> Ints(string name) => Get(name) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } v => [.. v.EnumerateArray().Select(e => AsInt(e, name))],
        var v => throw Problem(name, $"is '{v}', expected a list of integers"),
    };

    private JsonElement? Get(string name) =>
        _root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private int AsInt(JsonElement v, string name) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw Problem(name, $"is '{v}', expected an integer");

    private ImportException Problem(string name, string problem) => new($"{FileName} in '{_directory}': {name} {problem}");
}
