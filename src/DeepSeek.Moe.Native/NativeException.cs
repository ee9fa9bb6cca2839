namespace DeepSeek.Moe.Native;

/// <summary>A native kernel returned a failing status; the message carries the library's own explanation (<c>dsm_last_error</c>).</summary>
public sealed class NativeException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="status">The status the native function returned.</param>
    /// <param name="function">The native function that failed, for example <c>dsm_layernorm_gelu_f32</c>.</param>
    /// <param name="nativeMessage">The native library's message for the failure ("" when it gave none).</param>
    public NativeException(NativeStatus status, string function, string nativeMessage)
        : base($"{function} failed with {status} ({(int)status}): {(string.IsNullOrEmpty(nativeMessage) ? "no message from the native library" : nativeMessage)}")
    {
        Status = status;
        Function = function;
        NativeMessage = nativeMessage;
    }

    /// <summary>Gets the status the native function returned.</summary>
    public NativeStatus Status { get; }

    /// <summary>Gets the native function that failed.</summary>
    public string Function { get; }

    /// <summary>Gets the native library's message (<c>dsm_last_error</c>), "" when it gave none.</summary>
    public string NativeMessage { get; }
}
