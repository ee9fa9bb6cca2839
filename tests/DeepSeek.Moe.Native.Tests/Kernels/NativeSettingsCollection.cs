namespace DeepSeek.Moe.Native.Tests.Kernels;

/// <summary>Tests that change the library's process-wide settings (kernel path, threads) run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeSettingsCollection
{
    public const string Name = "Native settings";
}
