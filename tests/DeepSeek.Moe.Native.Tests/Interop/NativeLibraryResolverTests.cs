using System.Runtime.InteropServices;
using DeepSeek.Moe.Native.Interop;

namespace DeepSeek.Moe.Native.Tests.Interop;

public sealed class NativeLibraryResolverTests
{
    [Fact]
    public void PathOf_LinuxX64_IsUnderRuntimesRidNative()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return;
        }

        string path = NativeLibraryResolver.PathOf("deepseek_moe", "/app");

        Assert.Equal("/app/runtimes/linux-x64/native/libdeepseek_moe.so", path);
    }

    [Fact]
    public void MissingMessage_NamesThePathTriedAndHowToBuild()
    {
        string path = NativeLibraryResolver.PathOf("deepseek_moe", "/app");

        string message = NativeLibraryResolver.MissingMessage("deepseek_moe", path);

        Assert.Contains($"'{path}'", message, StringComparison.Ordinal);
        Assert.Contains("cmake -S native -B native/build/Release", message, StringComparison.Ordinal);
        Assert.Contains("dotnet build", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingMessage_Cuda_SaysItNeedsACudaCompiler()
    {
        string path = NativeLibraryResolver.PathOf("deepseek_moe_cuda", "/app");

        string message = NativeLibraryResolver.MissingMessage("deepseek_moe_cuda", path);

        Assert.Contains($"'{path}'", message, StringComparison.Ordinal);
        Assert.Contains("CUDA compiler", message, StringComparison.Ordinal);
        Assert.Contains("native-cpu", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AbiMismatchMessage_NamesBothVersionsAndThePath()
    {
        string message = NativeLibraryResolver.AbiMismatchMessage("deepseek_moe", "/app/lib.so", found: 2);

        Assert.Contains("'/app/lib.so'", message, StringComparison.Ordinal);
        Assert.Contains("ABI version 2", message, StringComparison.Ordinal);
        Assert.Contains($"ABI version {NativeLibraryResolver.AbiVersion}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuLibrary_IsFoundWhereTheBuildPutsIt()
    {
        string path = NativeLibraryResolver.PathOf(NativeLibraryResolver.CpuLibrary, AppContext.BaseDirectory);

        Assert.True(File.Exists(path), $"the build did not copy the library to {path}");
    }
}
