using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Quantization;
using Onnx;

namespace DeepSeek.Moe.Onnx;

/// <summary>Reads an ONNX file: its signature (for validation) and its float initializers (for the reference and native paths).</summary>
public sealed class OnnxModelFile
{
    private readonly ModelProto _model;
    private readonly string _displayName;

    private OnnxModelFile(ModelProto model, string displayName)
    {
        _model = model;
        _displayName = displayName;
    }

    /// <summary>Parses an ONNX file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="displayName">The name used in errors (the file name inside the bundle).</param>
    /// <returns>The parsed model.</returns>
    /// <exception cref="BundleException">The file is missing or is not an ONNX model.</exception>
    public static OnnxModelFile Read(string path, string displayName)
    {
        if (!File.Exists(path))
        {
            throw new BundleException(displayName, null, $"file not found at '{path}'");
        }

        try
        {
            using var stream = File.OpenRead(path);
            var model = ModelProto.Parser.ParseFrom(stream);
            if (model.Graph is null)
            {
                throw new BundleException(displayName, null, "not an ONNX model (no graph)");
            }

            return new OnnxModelFile(model, displayName);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            throw new BundleException(displayName, null, $"not an ONNX model: {ex.Message}", ex);
        }
    }

    /// <summary>Gets the name used in errors (the file name inside the bundle).</summary>
    public string DisplayName => _displayName;

    /// <summary>Gets the graph inputs that are not initializers.</summary>
    public IReadOnlyList<OnnxTensorSignature> Inputs
    {
        get
        {
            var initializers = _model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            return _model.Graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Signature).ToList();
        }
    }

    /// <summary>Gets the graph outputs.</summary>
    public IReadOnlyList<OnnxTensorSignature> Outputs => _model.Graph.Output.Select(Signature).ToList();

    /// <summary>
    /// Reads a weight initializer as float: a float tensor as stored, a float16 one widened, and the uint8 codes of a
    /// <c>com.microsoft.MatMulNBits</c> weight dequantized to the <c>[K, N]</c> matrix that node multiplies by (a
    /// quantized bundle's weights read back as the quantized model computes with them).
    /// </summary>
    /// <param name="name">The initializer name.</param>
    /// <returns>The values (row-major) and the shape.</returns>
    /// <exception cref="BundleException">No such initializer, or one of another type or inconsistent with its node.</exception>
    public (float[] Values, long[] Shape) Initializer(string name)
    {
        var tensor = _model.Graph.Initializer.FirstOrDefault(t => t.Name == name)
            ?? throw new BundleException(_displayName, name, "initializer not found");
        return (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float => (OnnxWeightConverter.FloatValues(tensor), [.. tensor.Dims]),
            TensorProto.Types.DataType.Float16 => (QuantizedInitializers.HalfValues(tensor), [.. tensor.Dims]),
            TensorProto.Types.DataType.Uint8 => QuantizedInitializers.Dequantize(_model.Graph, tensor, _displayName),
            _ => throw new BundleException(_displayName, name,
                $"initializer is of ONNX type {tensor.DataType}, expected float (1), float16 (10) or MatMulNBits codes (uint8, 2)"),
        };
    }

    /// <summary>Reads the block-quantized matrix a <c>com.microsoft.MatMulNBits</c> node multiplies by, as stored.</summary>
    /// <param name="name">The node's weight (codes) initializer.</param>
    /// <returns>The quantized matrix.</returns>
    /// <exception cref="BundleException">No such uint8 initializer, or no MatMulNBits node reads it.</exception>
    public QuantizedMatrix QuantizedInitializer(string name)
    {
        var tensor = _model.Graph.Initializer.FirstOrDefault(t => t.Name == name && t.DataType == (int)TensorProto.Types.DataType.Uint8)
            ?? throw new BundleException(_displayName, name, "uint8 initializer not found");
        return QuantizedInitializers.ReadMatrix(_model.Graph, tensor, _displayName);
    }

    private static OnnxTensorSignature Signature(ValueInfoProto info)
    {
        var tensor = info.Type?.TensorType;
        var dims = tensor?.Shape?.Dim
            .Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null)
            .ToArray() ?? [];
        return new OnnxTensorSignature(info.Name, tensor?.ElemType ?? 0, dims);
    }
}
