using System.Runtime.InteropServices;
using DeepSeek.Moe.Bundles;
using Onnx;

namespace DeepSeek.Moe.Quantization;

/// <summary>
/// Reads weights that <see cref="OnnxWeightConverter"/> wrote back as float: <c>float16</c> initializers widened, and
/// the uint8 codes of a <c>com.microsoft.MatMulNBits</c> node dequantized to the <c>[K, N]</c> matrix the node multiplies by.
/// This is how the managed reference and the native backend run a quantized bundle: on its dequantized weights.
/// </summary>
internal static class QuantizedInitializers
{
    /// <summary>Reads a <c>float16</c> initializer as float.</summary>
    /// <param name="tensor">The initializer.</param>
    /// <returns>The values.</returns>
    public static float[] HalfValues(TensorProto tensor)
    {
        var values = new float[tensor.RawData.Length > 0 ? tensor.RawData.Length / 2 : tensor.Int32Data.Count];
        if (tensor.RawData.Length > 0)
        {
            var bits = MemoryMarshal.Cast<byte, ushort>(tensor.RawData.Span);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)BitConverter.UInt16BitsToHalf(bits[i]);
            }
        }
        else
        {
            // Without raw data, ONNX stores each float16's bits in the low half of an int32.
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)BitConverter.UInt16BitsToHalf((ushort)tensor.Int32Data[i]);
            }
        }

        return values;
    }

    /// <summary>Reads the quantized matrix a MatMulNBits node multiplies by, from its codes initializer.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="codes">The uint8 initializer that is the node's input B.</param>
    /// <param name="displayName">The file name for errors.</param>
    /// <returns>The quantized matrix.</returns>
    /// <exception cref="BundleException">No MatMulNBits node reads the initializer, or its scales or zero points are missing or misshapen.</exception>
    public static QuantizedMatrix ReadMatrix(GraphProto graph, TensorProto codes, string displayName)
    {
        var node = graph.Node.FirstOrDefault(n => n.OpType == OnnxWeightConverter.MatMulNBits && n.Domain == OnnxWeightConverter.MicrosoftDomain
                && n.Input.Count >= 3 && n.Input[1] == codes.Name)
            ?? throw new BundleException(displayName, codes.Name, "is a uint8 initializer that no com.microsoft.MatMulNBits node reads as its weight");
        long Attribute(string name, long? fallback = null) =>
            node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback
            ?? throw new BundleException(displayName, codes.Name, $"the MatMulNBits node reading it has no '{name}' attribute");

        int k = checked((int)Attribute("K")), n = checked((int)Attribute("N"));
        int bits = checked((int)Attribute("bits", 4)), blockSize = checked((int)Attribute("block_size"));
        var scales = Find(graph, node.Input[2], displayName, TensorProto.Types.DataType.Float);
        byte[]? zeroPoints = null;
        if (node.Input.Count > 3 && node.Input[3].Length > 0)
        {
            zeroPoints = Find(graph, node.Input[3], displayName, TensorProto.Types.DataType.Uint8).RawData.ToByteArray();
        }

        return new QuantizedMatrix(k, n, bits, blockSize, codes.RawData.ToByteArray(), OnnxWeightConverter.FloatValues(scales), zeroPoints);
    }

    /// <summary>Dequantizes the matrix a MatMulNBits node multiplies by.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="codes">The uint8 initializer that is the node's input B.</param>
    /// <param name="displayName">The file name for errors.</param>
    /// <returns>The row-major <c>[K, N]</c> weights and that shape.</returns>
    /// <exception cref="BundleException">The node or its inputs are missing or misshapen.</exception>
    public static (float[] Values, long[] Shape) Dequantize(GraphProto graph, TensorProto codes, string displayName)
    {
        var matrix = ReadMatrix(graph, codes, displayName);
        try
        {
            return (BlockQuantizer.Dequantize(matrix), [matrix.K, matrix.N]);
        }
        catch (ArgumentException ex)
        {
            throw new BundleException(displayName, codes.Name, ex.Message, ex);
        }
    }

    private static TensorProto Find(GraphProto graph, string name, string displayName, TensorProto.Types.DataType type)
    {
        var tensor = graph.Initializer.FirstOrDefault(t => t.Name == name)
            ?? throw new BundleException(displayName, name, "initializer not found");
        if (tensor.DataType != (int)type)
        {
            throw new BundleException(displayName, name, $"initializer is of ONNX type {tensor.DataType}, expected {type} ({(int)type})");
        }

        return tensor;
    }
}
