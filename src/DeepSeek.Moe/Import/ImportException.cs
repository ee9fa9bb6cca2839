namespace DeepSeek.Moe.Import;

/// <summary>
/// A Hugging Face checkpoint cannot be imported: an unsupported <c>model_type</c> or dtype, a missing
/// or misshapen tensor, a corrupt safetensors file, or a layer that is out of range or dense.
/// The message names the tensor, field or file at fault.
/// </summary>
public sealed class ImportException : Exception
{
    /// <summary>Initializes a new instance with a message that names what is wrong.</summary>
    /// <param name="message">What is wrong, naming the tensor, field or file.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ImportException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
