using System.Runtime.InteropServices;
using Google.Protobuf;
using DeepSeek.Moe.Onnx;
using Onnx;

namespace DeepSeek.Moe.Quantization;

/// <summary>
/// Rewrites the matrix products of a graph whose weight is a 2-D float initializer, keeping the graph's inputs,
/// outputs and the weight's initializer name: to <c>com.microsoft.MatMulNBits</c> over block-quantized codes
/// (<c>int8</c>, <c>int4</c>), or to a <c>float16</c> initializer cast back to float in front of the MatMul (<c>fp16</c>).
/// <see cref="QuantizedInitializers"/> reads such weights back as float.
/// </summary>
internal static class OnnxWeightConverter
{
    public const string MicrosoftDomain = "com.microsoft";
    public const string MatMulNBits = "MatMulNBits";
    public const string ScalesSuffix = "_scales";
    public const string ZeroPointsSuffix = "_zero_points";
    public const string CastSuffix = "_fp32";

    /// <summary>Converts the weights of one ONNX file into another.</summary>
    /// <param name="source">The source file.</param>
    /// <param name="destination">The file to write.</param>
    /// <param name="format">The target format.</param>
    /// <returns>The number of matrices converted.</returns>
    public static int Convert(string source, string destination, WeightFormat format)
    {
        ModelProto model;
        using (var input = File.OpenRead(source))
        {
            model = ModelProto.Parser.ParseFrom(input);
        }

        int converted = Convert(model, format);
        using var output = File.Create(destination);
        model.WriteTo(output);
        return converted;
    }

    /// <summary>Converts the weights of a model in place.</summary>
    /// <param name="model">The model.</param>
    /// <param name="format">The target format.</param>
    /// <returns>The number of matrices converted.</returns>
    public static int Convert(ModelProto model, WeightFormat format)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var uses = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name))
            .GroupBy(name => name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var casts = new List<NodeProto>();
        int converted = 0;
        foreach (var node in graph.Node.ToList())
        {
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx") || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weight)
                || weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count != 2
                || uses[weight.Name] != 1 || graph.Input.Any(i => i.Name == weight.Name))
            {
                continue;
            }

            int k = checked((int)weight.Dims[0]), n = checked((int)weight.Dims[1]);
            var values = FloatValues(weight);
            if (format.Bits is { } bits)
            {
                var q = BlockQuantizer.Quantize(values, k, n, bits, format.BlockSize, format.Symmetric);
                ReplaceWithNBits(graph, node, weight, q);
            }
            else
            {
                casts.Add(ReplaceWithHalf(node, weight, values));
            }

            converted++;
        }

        // A cast reads only an initializer, so it may run first; the MatMul that reads its output comes later.
        for (int i = casts.Count - 1; i >= 0; i--)
        {
            graph.Node.Insert(0, casts[i]);
        }

        if (format.Bits is not null && converted > 0 && !model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return converted;
    }

    private static void ReplaceWithNBits(GraphProto graph, NodeProto node, TensorProto weight, QuantizedMatrix q)
    {
        string name = weight.Name;
        weight.DataType = (int)TensorProto.Types.DataType.Uint8;
        weight.FloatData.Clear();
        weight.Dims.Clear();
        weight.Dims.AddRange([q.N, q.BlocksPerColumn, q.BlobSize]);
        weight.RawData = ByteString.CopyFrom(q.Data);

        var scales = new TensorProto { Name = name + ScalesSuffix, DataType = (int)TensorProto.Types.DataType.Float };
        scales.Dims.AddRange([q.N, q.BlocksPerColumn]);
        scales.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(q.Scales.AsSpan()));
        graph.Initializer.Add(scales);

        node.OpType = MatMulNBits;
        node.Domain = MicrosoftDomain;
        node.Input.Add(scales.Name);
        if (q.ZeroPoints is { } zp)
        {
            var zeroPoints = new TensorProto { Name = name + ZeroPointsSuffix, DataType = (int)TensorProto.Types.DataType.Uint8 };
            zeroPoints.Dims.AddRange([q.N, q.ZeroPointBytesPerColumn]);
            zeroPoints.RawData = ByteString.CopyFrom(zp);
            graph.Initializer.Add(zeroPoints);
            node.Input.Add(zeroPoints.Name);
        }

        node.Attribute.Add(OnnxGraphBuilder.Attr("K", q.K));
        node.Attribute.Add(OnnxGraphBuilder.Attr("N", q.N));
        node.Attribute.Add(OnnxGraphBuilder.Attr("bits", q.Bits));
        node.Attribute.Add(OnnxGraphBuilder.Attr("block_size", q.BlockSize));
    }

    private static NodeProto ReplaceWithHalf(NodeProto node, TensorProto weight, float[] values)
    {
        var bits = new ushort[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var half = (Half)values[i];
            if (Half.IsInfinity(half) && float.IsFinite(values[i]))
            {
                throw new ArgumentException($"Weight '{weight.Name}' holds {values[i]}, beyond float16's range (65504); keep this bundle in fp32 or quantize it to int8.");
            }

            bits[i] = BitConverter.HalfToUInt16Bits(half);
        }

        weight.DataType = (int)TensorProto.Types.DataType.Float16;
        weight.FloatData.Clear();
        weight.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(bits.AsSpan()));
        string cast = weight.Name + CastSuffix;
        node.Input[1] = cast;
        var castNode = new NodeProto { OpType = "Cast", Name = "Cast_" + weight.Name, Domain = "" };
        castNode.Input.Add(weight.Name);
        castNode.Output.Add(cast);
        castNode.Attribute.Add(OnnxGraphBuilder.Attr("to", (long)TensorProto.Types.DataType.Float));
        return castNode;
    }

    internal static float[] FloatValues(TensorProto tensor) => tensor.RawData.Length > 0
        ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
        : [.. tensor.FloatData];
}
