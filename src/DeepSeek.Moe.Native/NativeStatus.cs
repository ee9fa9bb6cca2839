namespace DeepSeek.Moe.Native;

/// <summary>The status codes of the native ABI (<c>dsm_status</c> in <c>deepseek_moe.h</c>).</summary>
public enum NativeStatus
{
    /// <summary>Success (<c>DSM_OK</c>).</summary>
    Ok = 0,

    /// <summary>An argument was rejected (<c>DSM_INVALID_ARGUMENT</c>).</summary>
    InvalidArgument = 1,

    /// <summary>An allocation failed (<c>DSM_OUT_OF_MEMORY</c>).</summary>
    OutOfMemory = 2,

    /// <summary>The operation is not available here, for example a forced AVX2 path on a CPU without it (<c>DSM_UNSUPPORTED</c>).</summary>
    Unsupported = 3,

    /// <summary>The GPU or its driver failed (<c>DSM_DEVICE_ERROR</c>).</summary>
    DeviceError = 4,

    /// <summary>An unexpected failure inside the library (<c>DSM_INTERNAL</c>).</summary>
    Internal = 5,
}
