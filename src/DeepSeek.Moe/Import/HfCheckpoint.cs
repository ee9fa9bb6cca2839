using System.Text.Json;

namespace DeepSeek.Moe.Import;

/// <summary>
/// A Hugging Face checkpoint folder: <c>config.json</c> plus <c>model.safetensors</c>, or the shards
/// that <c>model.safetensors.index.json</c> maps tensor names to. Shards are opened on first use.
/// </summary>
internal sealed class HfCheckpoint : IDisposable
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The shard index name.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly Dictionary<string, string> _weightMap;
    private readonly Dictionary<string, SafetensorsFile> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dtypes = new(StringComparer.Ordinal);

    private HfCheckpoint(string directory, HfConfig config, Dictionary<string, string> weightMap)
    {
        Directory = directory;
        Config = config;
        _weightMap = weightMap;
    }

    /// <summary>Gets the absolute checkpoint folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the parsed <c>config.json</c>.</summary>
    public HfConfig Config { get; }

    /// <summary>Gets the dtypes of the tensors looked up so far, sorted.</summary>
    public IReadOnlyList<string> DTypesSeen => [.. _dtypes.Order(StringComparer.Ordinal)];

    /// <summary>Opens a checkpoint folder.</summary>
    /// <exception cref="ImportException">The folder, its config or its weights are missing or unreadable.</exception>
    public static HfCheckpoint Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new ImportException($"checkpoint folder '{full}' does not exist");
        }

        var config = HfConfig.Load(full);
        var index = Path.Combine(full, IndexFileName);
        if (File.Exists(index))
        {
            return new HfCheckpoint(full, config, ReadIndex(index));
        }

        if (!File.Exists(Path.Combine(full, SingleFileName)))
        {
            throw new ImportException($"'{full}' holds neither {SingleFileName} nor {IndexFileName}");
        }

        var checkpoint = new HfCheckpoint(full, config, new Dictionary<string, string>(StringComparer.Ordinal));
        try
        {
            foreach (var name in checkpoint.Shard(SingleFileName).Tensors.Keys)
            {
                checkpoint._weightMap[name] = SingleFileName;
            }

            return checkpoint;
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>Gets whether the checkpoint holds a tensor.</summary>
    public bool Contains(string name) => _weightMap.ContainsKey(name);

    /// <summary>Finds a tensor and checks its shape and dtype without reading its data.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="shape">The expected shape.</param>
    /// <returns>The header entry.</returns>
    /// <exception cref="ImportException">The tensor is missing, misshapen, or of a dtype that does not convert to float.</exception>
    public SafetensorsTensor Require(string name, params long[] shape)
    {
        var tensor = Find(name);
        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new ImportException($"tensor '{name}' has shape {tensor.ShapeText}, expected {SafetensorsTensor.FormatShape(shape)} (checkpoint '{Directory}')");
        }

        SafetensorsFile.RequireReadable(tensor, Path.Combine(Directory, _weightMap[name]));
        _dtypes.Add(tensor.DType);
        return tensor;
    }

    /// <summary>Gets a tensor's shape from its shard header.</summary>
    /// <exception cref="ImportException">The tensor is missing.</exception>
    public long[] ShapeOf(string name) => Find(name).Shape;

    /// <summary>Reads a tensor of an expected shape as float, row-major.</summary>
    /// <exception cref="ImportException">See <see cref="Require"/>.</exception>
    public float[] Read(string name, params long[] shape)
    {
        Require(name, shape);
        return Shard(_weightMap[name]).ReadSingle(name);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var file in _open.Values)
        {
            file.Dispose();
        }

        _open.Clear();
    }

    private SafetensorsTensor Find(string name)
    {
        if (!_weightMap.TryGetValue(name, out var file))
        {
            throw new ImportException($"tensor '{name}' not found in checkpoint '{Directory}'");
        }

        return Shard(file).Tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new ImportException($"tensor '{name}' is mapped to shard '{file}' by {IndexFileName}, but that shard does not hold it (checkpoint '{Directory}')");
    }

    private SafetensorsFile Shard(string file)
    {
        if (!_open.TryGetValue(file, out var shard))
        {
            shard = SafetensorsFile.Open(Path.Combine(Directory, file));
            _open[file] = shard;
        }

        return shard;
    }

    private static Dictionary<string, string> ReadIndex(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new ImportException($"'{path}' has no weight_map object");
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                var file = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
                if (string.IsNullOrWhiteSpace(file) || file != Path.GetFileName(file))
                {
                    throw new ImportException($"'{path}': weight_map maps tensor '{entry.Name}' to '{entry.Value}', which is not a file name in the checkpoint folder");
                }

                result[entry.Name] = file;
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new ImportException($"'{path}' is not valid JSON: {ex.Message}", ex);
        }
    }
}
