using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
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

    /// <summary>Gets the one-line description the benchmark tables print.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{ProcessorCount} cores, {Architecture}, {OperatingSystem}, {Runtime}, ONNX Runtime {OnnxRuntimeVersion}");

    /// <summary>Writes the <c>machine</c> object of a benchmark's JSON.</summary>
    /// <param name="w">The writer, positioned where a property may start.</param>
    internal void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject("machine");
        w.WriteNumber("cores", ProcessorCount);
        w.WriteString("architecture", Architecture);
        w.WriteString("os", OperatingSystem);
        w.WriteString("runtime", Runtime);
        w.WriteString("onnxRuntime", OnnxRuntimeVersion);
        w.WriteEndObject();
    }
}
