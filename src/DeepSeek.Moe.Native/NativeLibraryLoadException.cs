namespace DeepSeek.Moe.Native;

/// <summary>The native library is missing, cannot be loaded, or implements another ABI version. The message names the path tried and how to build the library.</summary>
public sealed class NativeLibraryLoadException : DllNotFoundException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="libraryName">The library asked for, for example <c>deepseek_moe</c>.</param>
    /// <param name="path">The file that was tried.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="inner">The loader's exception, if any.</param>
    public NativeLibraryLoadException(string libraryName, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        LibraryName = libraryName;
        LibraryPath = path;
    }

    /// <summary>Gets the library asked for.</summary>
    public string LibraryName { get; }

    /// <summary>Gets the file that was tried.</summary>
    public string LibraryPath { get; }
}
