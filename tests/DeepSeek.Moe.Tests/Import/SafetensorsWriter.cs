using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace DeepSeek.Moe.Tests.Import;

/// <summary>A test-side safetensors writer: F32, F16, BF16 (round to nearest even), or raw bytes of any dtype.</summary>
internal static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<FakeTensor> tensors)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        var data = new MemoryStream();
        foreach (var t in tensors)
        {
            long begin = data.Length;
            var bytes = t.RawBytes ?? Encode(t.Values, t.DType);
            data.Write(bytes);
            header[t.Name] = new JsonObject
            {
                ["dtype"] = t.DType,
                ["shape"] = new JsonArray([.. t.Shape.Select(d => JsonValue.Create(d))]),
                ["data_offsets"] = new JsonArray(begin, data.Length),
            };
        }

        WriteRaw(path, header.ToJsonString(), data.ToArray());
    }

    /// <summary>Writes a file from a header text and data bytes, padding the header to 8 bytes as the format does.</summary>
    public static void WriteRaw(string path, string header, byte[] data, ulong? declaredHeaderLength = null)
    {
        var text = Encoding.UTF8.GetBytes(header);
        int padded = (text.Length + 7) / 8 * 8;
        using var file = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredHeaderLength ?? (ulong)padded);
        file.Write(prefix);
        file.Write(text);
        file.Write(Enumerable.Repeat((byte)' ', padded - text.Length).ToArray());
        file.Write(data);
    }

    public static byte[] Encode(float[] values, string dtype)
    {
        int size = dtype == "F32" ? 4 : 2;
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            var slot = bytes.AsSpan(i * size);
            switch (dtype)
            {
                case "F32":
                    BinaryPrimitives.WriteSingleLittleEndian(slot, values[i]);
                    break;
                case "F16":
                    BinaryPrimitives.WriteHalfLittleEndian(slot, (Half)values[i]);
                    break;
                case "BF16":
                    BinaryPrimitives.WriteUInt16LittleEndian(slot, ToBf16(values[i]));
                    break;
                default:
                    throw new ArgumentException($"The test writer encodes F32, F16 and BF16, not {dtype}.", nameof(dtype));
            }
        }

        return bytes;
    }

    /// <summary>The value a float has once stored in a dtype and read back.</summary>
    public static float Round(float value, string dtype) => dtype switch
    {
        "F16" => (float)(Half)value,
        "BF16" => BitConverter.Int32BitsToSingle(ToBf16(value) << 16),
        _ => value,
    };

    private static ushort ToBf16(float value)
    {
        uint bits = (uint)BitConverter.SingleToInt32Bits(value);
        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
