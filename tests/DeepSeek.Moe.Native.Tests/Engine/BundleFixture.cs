using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;

namespace DeepSeek.Moe.Native.Tests.Engine;

/// <summary>The bundles the native backend is compared on, written once per test class.</summary>
public sealed class BundleFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public BundleFixture()
    {
        Demo = DemoBundle.Create(_folder.Sub("demo"), new DemoBundleOptions());
        Small = DemoBundle.Create(_folder.Sub("small"), new DemoBundleOptions { Experts = 5, TopK = 2, DModel = 30, DFf = 70, Seed = 3 });
        SwiGluShared = DemoBundle.Create(_folder.Sub("swiglu"), new DemoBundleOptions { ExpertKind = ExpertKinds.SwiGlu, SharedExperts = 1 });
    }

    /// <summary>Gets the full demo: 16 linear-layernorm-gelu experts, top-2, d_model 256, d_ff 1024, Gumbel noise.</summary>
    public ModelBundle Demo { get; }

    /// <summary>Gets a small demo of odd widths: 5 experts, top-2, d_model 30, d_ff 70.</summary>
    public ModelBundle Small { get; }

    /// <summary>Gets 16 SwiGLU experts, top-2, 256/1024, plus one shared expert.</summary>
    public ModelBundle SwiGluShared { get; }

    public void Dispose() => _folder.Dispose();
}
