using DeepSeek.Moe.Experts;
using DeepSeek.Moe.Native.Experts;

namespace DeepSeek.Moe.Native.Tests.Engine;

/// <summary>Native kernels for routed and shared expert weights, disposed together.</summary>
internal sealed class NativeExpertSet(ExpertWeights[] routed, ExpertWeights[] shared) : IDisposable
{
    public NativeExpertKernel[] Routed { get; } = [.. routed.Select(w => NativeExpertKernel.Create(w))];

    public NativeExpertKernel[] Shared { get; } = [.. shared.Select(w => NativeExpertKernel.Create(w))];

    public void Dispose()
    {
        foreach (var k in Routed.Concat(Shared))
        {
            k.Dispose();
        }
    }
}
