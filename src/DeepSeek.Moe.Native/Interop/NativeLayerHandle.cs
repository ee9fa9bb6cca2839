using Microsoft.Win32.SafeHandles;

namespace DeepSeek.Moe.Native.Interop;

/// <summary>
/// A layer created in native memory (<c>dsm_layer*</c>). The native layer borrows its experts, so this handle holds a
/// reference on each expert handle: whatever order the managed objects are disposed or finalized in, the layer is
/// destroyed first and the experts only after it.
/// </summary>
internal sealed class NativeLayerHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private NativeExpertHandle[] _borrowed = [];

    /// <summary>Initializes an empty handle; the import's marshalling fills it.</summary>
    public NativeLayerHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Gets or sets the library that created the layer; set straight after creation.</summary>
    public DsmLibrary? Library { get; set; }

    /// <summary>Takes over one <see cref="System.Runtime.InteropServices.SafeHandle.DangerousAddRef"/> on each expert, released after the layer is destroyed.</summary>
    /// <param name="experts">Expert handles already add-ref'ed once each for this layer.</param>
    public void TakeBorrowedExperts(NativeExpertHandle[] experts) => _borrowed = experts;

    protected override bool ReleaseHandle()
    {
        Library?.LayerDestroy(handle);
        foreach (var expert in _borrowed)
        {
            expert.DangerousRelease();
        }

        return Library is not null;
    }
}
