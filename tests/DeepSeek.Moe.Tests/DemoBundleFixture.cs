using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;

namespace DeepSeek.Moe.Tests;

/// <summary>One full-size demo bundle (16 experts, top-2, 256/1024) shared by a test class.</summary>
public sealed class DemoBundleFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public DemoBundleFixture()
    {
        Bundle = DemoBundle.Create(_folder.Sub("demo"), new DemoBundleOptions());
    }

    public ModelBundle Bundle { get; }

    public void Dispose() => _folder.Dispose();
}
