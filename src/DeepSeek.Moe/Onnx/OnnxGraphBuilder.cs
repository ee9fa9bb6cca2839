using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace DeepSeek.Moe.Onnx;

/// <summary>Builds small ONNX graphs (float tensors, dynamic batch) and writes them to disk.</summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The ai.onnx opset the graphs use: 20 has LayerNormalization and Gelu.</summary>
    public const long OpsetVersion = 20;

    /// <summary>The symbolic name of the batch (rows) dimension.</summary>
    public const string RowsDim = "rows";

    private readonly GraphProto _graph;
    private readonly bool _usesMicrosoftDomain;
    private int _nodeCount;

    public OnnxGraphBuilder(string name, bool usesMicrosoftDomain = false)
    {
        _graph = new GraphProto { Name = name };
        _usesMicrosoftDomain = usesMicrosoftDomain;
    }

    public void Input(string name, params long?[] dims) => _graph.Input.Add(ValueInfo(name, dims));

    public void Output(string name, params long?[] dims) => _graph.Output.Add(ValueInfo(name, dims));

    public void Initializer(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"Initializer '{name}' has {data.Length} values for shape [{string.Join(", ", dims)}].", nameof(data));
        }

        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)),
        };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
    }

    public void Node(string opType, string[] inputs, string[] outputs, string domain = "", params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodeCount++}", Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
    }

    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public ModelProto Build()
    {
        var model = new ModelProto
        {
            IrVersion = 9,
            ProducerName = "DeepSeek.Moe",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        if (_usesMicrosoftDomain)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }

        return model;
    }

    public void Save(string path)
    {
        using var stream = File.Create(path);
        Build().WriteTo(stream);
    }

    public byte[] ToBytes() => Build().ToByteArray();

    private static ValueInfoProto ValueInfo(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } v
                ? new TensorShapeProto.Types.Dimension { DimValue = v }
                : new TensorShapeProto.Types.Dimension { DimParam = RowsDim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
