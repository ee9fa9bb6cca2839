namespace DeepSeek.Moe.Onnx;

/// <summary>A graph input or output: name, ONNX element type and dimensions (<see langword="null"/> where symbolic).</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="ElementType">The ONNX element type (1 is float).</param>
/// <param name="Dims">The dimensions; <see langword="null"/> entries are symbolic.</param>
public sealed record OnnxTensorSignature(string Name, int ElementType, IReadOnlyList<long?> Dims)
{
    /// <summary>Gets the shape for messages, for example <c>[rows, 256]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Dims.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "rows")) + "]";
}
