namespace DeepSeek.Moe.Tests.Import;

/// <summary>One tensor of a test checkpoint. <see cref="Values"/> hold what the file holds once written (rounded to the dtype).</summary>
internal sealed class FakeTensor(string name, long[] shape, float[] values)
{
    public string Name { get; } = name;

    public long[] Shape { get; set; } = shape;

    public float[] Values { get; set; } = values;

    public string DType { get; set; } = "F32";

    /// <summary>Gets or sets bytes written instead of encoding <see cref="Values"/> (for dtypes the importer refuses).</summary>
    public byte[]? RawBytes { get; set; }
}
