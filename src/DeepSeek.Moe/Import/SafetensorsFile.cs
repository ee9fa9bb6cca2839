using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace DeepSeek.Moe.Import;

/// <summary>
/// A safetensors file: an 8-byte little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?}</c>, then the raw data.
/// Only the header is held in memory; tensors are read on demand in chunks, so multi-gigabyte
/// shards are never loaded whole. Thread-safe for reads.
/// </summary>
internal sealed class SafetensorsFile : IDisposable
{
    // The format's reference implementation refuses headers past 100 MB.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private const int ChunkBytes = 1 << 20;
    private readonly SafeFileHandle _handle;

    private SafetensorsFile(string path, SafeFileHandle handle, Dictionary<string, SafetensorsTensor> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Gets the file path.</summary>
    public string Path { get; }

    /// <summary>Gets the tensors by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensor> Tensors { get; }

    /// <summary>Gets the <c>__metadata__</c> strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens a file and parses and checks its header.</summary>
    /// <exception cref="ImportException">The file is missing, or its header is corrupt or names data outside the file.</exception>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new ImportException($"safetensors file '{path}' not found");
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var (tensors, metadata) = ReadHeader(path, handle);
            return new SafetensorsFile(path, handle, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads a tensor as float, converting from F32, F16 or BF16.</summary>
    /// <exception cref="ImportException">The tensor is absent or its dtype cannot be converted.</exception>
    public float[] ReadSingle(string name)
    {
        if (!Tensors.TryGetValue(name, out var t))
        {
            throw new ImportException($"tensor '{name}' not found in '{Path}'");
        }

        RequireReadable(t, Path);
        if (t.ElementCount > Array.MaxLength)
        {
            throw new ImportException($"tensor '{name}' in '{Path}' has {t.ElementCount} elements, more than one array can hold");
        }

        int size = SafetensorsDTypes.SizeOf(t.DType)!.Value;
        var result = new float[(int)t.ElementCount];
        var buffer = new byte[(int)Math.Min(ChunkBytes, Math.Max(t.ByteLength, 1))];
        long done = 0;
        while (done < t.ByteLength)
        {
            int want = (int)Math.Min(buffer.Length, t.ByteLength - done);
            var chunk = buffer.AsSpan(0, want);
            ReadExactly(chunk, t.Offset + done, name);
            Decode(chunk, t.DType, result.AsSpan((int)(done / size), want / size));
            done += want;
        }

        return result;
    }

    /// <summary>Throws unless the tensor's dtype converts to float.</summary>
    /// <exception cref="ImportException">The dtype is not F32, F16 or BF16.</exception>
    public static void RequireReadable(SafetensorsTensor tensor, string where)
    {
        if (SafetensorsDTypes.IsReadable(tensor.DType))
        {
            return;
        }

        var hint = tensor.DType.StartsWith("F8", StringComparison.Ordinal)
            ? " (FP8 checkpoints must be dequantized to BF16 first)"
            : string.Empty;
        throw new ImportException(
            $"tensor '{tensor.Name}' in '{where}' has unsupported dtype {tensor.DType}; only {SafetensorsDTypes.F32}, {SafetensorsDTypes.F16} and {SafetensorsDTypes.BF16} can be imported{hint}");
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private void ReadExactly(Span<byte> destination, long offset, string name)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0)
            {
                throw new ImportException($"tensor '{name}' in '{Path}': the file ends before the tensor's data does");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    private static void Decode(ReadOnlySpan<byte> bytes, string dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDTypes.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                break;
            case SafetensorsDTypes.F32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }

                break;
            case SafetensorsDTypes.F16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }

                break;
            default:
                // BF16 is the upper half of a float32.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                }

                break;
        }
    }

    private static (Dictionary<string, SafetensorsTensor>, Dictionary<string, string>) ReadHeader(string path, SafeFileHandle handle)
    {
        long length = RandomAccess.GetLength(handle);
        Span<byte> prefix = stackalloc byte[8];
        if (length < 8 || RandomAccess.Read(handle, prefix, 0) != 8)
        {
            throw new ImportException($"'{path}' is not a safetensors file: it is {length} bytes, shorter than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength < 2 || headerLength > MaxHeaderBytes || (long)headerLength > length - 8)
        {
            throw new ImportException($"'{path}' has a corrupt safetensors header: it declares a {headerLength}-byte header in a {length}-byte file");
        }

        var header = new byte[(int)headerLength];
        if (RandomAccess.Read(handle, header, 8) != header.Length)
        {
            throw new ImportException($"'{path}' has a corrupt safetensors header: the header could not be read in full");
        }

        try
        {
            using var doc = JsonDocument.Parse(header);
            return SafetensorsHeader.Parse(doc.RootElement, path, 8 + (long)headerLength, length);
        }
        catch (JsonException ex)
        {
            throw new ImportException($"'{path}' has a corrupt safetensors header: {ex.Message}", ex);
        }
    }
}
