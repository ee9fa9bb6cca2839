namespace DeepSeek.Moe.Bundles;

/// <summary>A bundle failed to load or validate. The message names the file and, where there is one, the field.</summary>
public sealed class BundleException : Exception
{
    /// <summary>Initializes a new instance naming the offending file and field.</summary>
    /// <param name="file">The file inside the bundle (for example <c>moe.json</c> or <c>expert_03.onnx</c>).</param>
    /// <param name="field">The field or tensor at fault, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public BundleException(string file, string? field, string problem, Exception? inner = null)
        : base(field is null ? $"{file}: {problem}" : $"{file}: {field}: {problem}", inner)
    {
        File = file;
        Field = field;
    }

    /// <summary>Gets the offending file.</summary>
    public string File { get; }

    /// <summary>Gets the offending field, or <see langword="null"/> when the whole file is at fault.</summary>
    public string? Field { get; }
}
