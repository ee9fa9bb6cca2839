using Microsoft.Win32.SafeHandles;

namespace DeepSeek.Moe.Native.Interop;

/// <summary>An expert created in native memory (<c>dsm_expert*</c>), destroyed with <c>dsm_expert_destroy</c> by the library that created it.</summary>
internal sealed class NativeExpertHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Initializes an empty handle; the import's marshalling fills it.</summary>
    public NativeExpertHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Gets or sets the library that created the expert; set straight after creation.</summary>
    public DsmLibrary? Library { get; set; }

    protected override bool ReleaseHandle()
    {
        Library?.ExpertDestroy(handle);
        return Library is not null;
    }
}
