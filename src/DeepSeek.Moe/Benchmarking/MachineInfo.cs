using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace DeepSeek.Moe.Benchmarking;

/// <summary>The machine a benchmark ran on.</summary>
/// <param name="ProcessorCount">The logical cores the process may use.</param>
/// <param name="Architecture">The processor architecture, for example <c>X64</c>.</param>
/// <param name="OperatingSystem">The operating system description.</param>
/// <param name="Runtime">The .NET runtime description.</param>
/// <param name="OnnxRuntimeVersion">The ONNX Runtime native library version.</param>
public sealed record MachineInfo(int ProcessorCount, string Architecture, string OperatingSystem, string Runtime, string OnnxRuntimeVersion)
{
    /// <summary>Describes the current machine.</summary>
    /// <returns>The description.</returns>
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        RuntimeInformation.ProcessArchitecture.ToString(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        OrtEnv.Instance().GetVersionString());
}
