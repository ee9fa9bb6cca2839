using System.Text.Json;

namespace DeepSeek.Moe.Import;

/// <summary>Parses and checks the JSON header of a safetensors file.</summary>
internal static class SafetensorsHeader
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Reads the tensor entries and metadata, checking every entry against the data section.</summary>
    /// <param name="root">The parsed header.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="dataStart">The absolute offset where the data section begins.</param>
    /// <param name="fileLength">The file length.</param>
    /// <exception cref="ImportException">An entry is malformed or its data lies outside the file.</exception>
    public static (Dictionary<string, SafetensorsTensor> Tensors, Dictionary<string, string> Metadata) Parse(
        JsonElement root, string path, long dataStart, long fileLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Corrupt(path, $"the header is a JSON {root.ValueKind}, expected an object");
        }

        var tensors = new Dictionary<string, SafetensorsTensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        long dataLength = fileLength - dataStart;
        foreach (var entry in root.EnumerateObject())
        {
            if (entry.Name == MetadataKey)
            {
                if (entry.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var m in entry.Value.EnumerateObject().Where(m => m.Value.ValueKind == JsonValueKind.String))
                    {
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                }

                continue;
            }

            var t = ParseTensor(entry, path);
            long begin = t.Offset, end = t.Offset + t.ByteLength;
            if (end > dataLength)
            {
                throw Corrupt(path, $"tensor '{t.Name}': data_offsets [{begin}, {end}] lie outside the {dataLength}-byte data section");
            }

            if (SafetensorsDTypes.SizeOf(t.DType) is { } size && t.ElementCount * size != t.ByteLength)
            {
                throw Corrupt(path, $"tensor '{t.Name}': shape {t.ShapeText} of {t.DType} needs {t.ElementCount * size} bytes, data_offsets [{begin}, {end}] hold {t.ByteLength}");
            }

            tensors[t.Name] = t with { Offset = dataStart + begin };
        }

        return (tensors, metadata);
    }

    private static SafetensorsTensor ParseTensor(JsonProperty entry, string path)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array)
        {
            throw Corrupt(path, $"tensor '{entry.Name}' needs a string dtype, a shape array and a data_offsets array");
        }

        var dims = shape.EnumerateArray().Select(d => NonNegative(d, entry.Name, "shape", path)).ToArray();
        long count = 1;
        foreach (var d in dims)
        {
            count = d == 0 || count <= long.MaxValue / 8 / d ? count * d : throw Corrupt(path, $"tensor '{entry.Name}': shape {SafetensorsTensor.FormatShape(dims)} is too large");
        }

        var range = offsets.EnumerateArray().Select(d => NonNegative(d, entry.Name, "data_offsets", path)).ToArray();
        if (range.Length != 2 || range[0] > range[1])
        {
            throw Corrupt(path, $"tensor '{entry.Name}': data_offsets {SafetensorsTensor.FormatShape(range)} must be [begin, end] with begin <= end");
        }

        return new SafetensorsTensor(entry.Name, dtype.GetString()!, dims, range[0], range[1] - range[0]);
    }

    private static long NonNegative(JsonElement e, string tensor, string field, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && v >= 0
            ? v
            : throw Corrupt(path, $"tensor '{tensor}': {field} holds '{e}', expected a non-negative integer");

    private static ImportException Corrupt(string path, string problem) =>
        new($"'{path}' has a corrupt safetensors header: {problem}");
}
