using DeepSeek.Moe.Import;

namespace DeepSeek.Moe.Tests.Import;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void ReadSingle_EachFloatDtype_ReturnsStoredValues(string dtype)
    {
        var values = TestData.Gaussian(300_000, seed: 3);
        var path = Write(new FakeTensor("w", [600, 500], values) { DType = dtype });

        using var file = SafetensorsFile.Open(path);
        var read = file.ReadSingle("w");

        // 300k values span more than one 1 MiB read chunk in every dtype.
        Assert.Equal(values.Select(v => SafetensorsWriter.Round(v, dtype)), read);
        Assert.Equal([600L, 500L], file.Tensors["w"].Shape);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void ReadSingle_KnownBitPatterns_DecodeExactly()
    {
        // 1.5 is 0x3FC0 in BF16 and 0x3E00 in F16; -2 is 0xC000 in both.
        var path = Write(
            new FakeTensor("b", [2], []) { DType = "BF16", RawBytes = [0xC0, 0x3F, 0x00, 0xC0] },
            new FakeTensor("h", [2], []) { DType = "F16", RawBytes = [0x00, 0x3E, 0x00, 0xC0] });

        using var file = SafetensorsFile.Open(path);

        Assert.Equal([1.5f, -2f], file.ReadSingle("b"));
        Assert.Equal([1.5f, -2f], file.ReadSingle("h"));
    }

    [Fact]
    public void ReadSingle_UnsupportedDtype_ThrowsNamingTensor()
    {
        var path = Write(new FakeTensor("ids", [3], []) { DType = "I64", RawBytes = new byte[24] });
        using var file = SafetensorsFile.Open(path);

        var ex = Assert.Throws<ImportException>(() => file.ReadSingle("ids"));

        Assert.Contains("tensor 'ids'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unsupported dtype I64; only F32, F16 and BF16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderLengthPastEndOfFile_Throws()
    {
        var path = _temp.Sub("a.safetensors");
        SafetensorsWriter.WriteRaw(path, "{}", [], declaredHeaderLength: 4096);

        var ex = Assert.Throws<ImportException>(() => SafetensorsFile.Open(path));

        Assert.Contains("corrupt safetensors header: it declares a 4096-byte header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileShorterThanLengthPrefix_Throws()
    {
        var path = _temp.Sub("a.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var ex = Assert.Throws<ImportException>(() => SafetensorsFile.Open(path));

        Assert.Contains("is not a safetensors file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2]", "corrupt safetensors header")]
    [InlineData("[1, 2]", "expected an object")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2]}}", "tensor 'w' needs a string dtype, a shape array and a data_offsets array")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", "tensor 'w': shape holds '-2'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", "tensor 'w': data_offsets [8, 0] must be [begin, end]")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", "tensor 'w': data_offsets [0, 16] lie outside the 8-byte data section")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", "tensor 'w': shape [3] of F32 needs 12 bytes")]
    public void Open_BadHeader_ThrowsNamingProblem(string header, string problem)
    {
        var path = _temp.Sub("a.safetensors");
        SafetensorsWriter.WriteRaw(path, header, new byte[8]);

        var ex = Assert.Throws<ImportException>(() => SafetensorsFile.Open(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    private string Write(params FakeTensor[] tensors)
    {
        var path = _temp.Sub("t.safetensors");
        SafetensorsWriter.Write(path, tensors);
        return path;
    }
}
