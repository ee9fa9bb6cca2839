using System.Runtime.InteropServices;
using DeepSeek.Moe.Bundles;
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

    /// <summary>Reads a float initializer.</summary>
    /// <param name="name">The initializer name.</param>
    /// <returns>The values (row-major) and the shape.</returns>
    /// <exception cref="BundleException">No such float initializer.</exception>
    public (float[] Values, long[] Shape) Initializer(string name)
    {
        var tensor = _model.Graph.Initializer.FirstOrDefault(t => t.Name == name)
            ?? throw new BundleException(_displayName, name, "initializer not found");
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new BundleException(_displayName, name, $"initializer is of ONNX type {tensor.DataType}, expected float (1)");
        }

        float[] values = tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : [.. tensor.FloatData];
        return (values, [.. tensor.Dims]);
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
