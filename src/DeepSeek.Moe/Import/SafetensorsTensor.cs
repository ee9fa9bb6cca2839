namespace DeepSeek.Moe.Import;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="DType">The safetensors dtype (for example <c>BF16</c>).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Offset">The absolute byte offset of the data in the file.</param>
/// <param name="ByteLength">The data length in bytes.</param>
internal sealed record SafetensorsTensor(string Name, string DType, long[] Shape, long Offset, long ByteLength)
{
    /// <summary>Gets the number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Gets the shape as text, for example <c>[8, 32]</c>.</summary>
    public string ShapeText => FormatShape(Shape);

    public static string FormatShape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
