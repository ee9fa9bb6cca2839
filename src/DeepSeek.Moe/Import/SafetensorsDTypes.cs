namespace DeepSeek.Moe.Import;

/// <summary>The safetensors dtype names: their element sizes and which ones convert to float.</summary>
internal static class SafetensorsDTypes
{
    public const string F32 = "F32", F16 = "F16", BF16 = "BF16";

    private static readonly Dictionary<string, int> s_sizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, [F32] = 4, [F16] = 2, [BF16] = 2, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1,
        ["U64"] = 8, ["U32"] = 4, ["U16"] = 2, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Gets the element size in bytes, or null for a dtype this code does not know.</summary>
    public static int? SizeOf(string dtype) => s_sizes.TryGetValue(dtype, out var size) ? size : null;

    /// <summary>Gets whether tensors of this dtype can be read as float.</summary>
    public static bool IsReadable(string dtype) => dtype is F32 or F16 or BF16;
}
