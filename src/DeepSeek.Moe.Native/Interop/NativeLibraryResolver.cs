using System.Reflection;
using System.Runtime.InteropServices;

namespace DeepSeek.Moe.Native.Interop;

/// <summary>
/// The one import resolver of this assembly: <c>deepseek_moe</c> and <c>deepseek_moe_cuda</c> load only from
/// <c>runtimes/&lt;rid&gt;/native/</c> under the application folder, where the build puts them, and only when
/// they implement <see cref="AbiVersion"/>; anything else fails with the path tried and how to build it.
/// </summary>
internal static class NativeLibraryResolver
{
    public const string CpuLibrary = "deepseek_moe";
    public const string CudaLibrary = "deepseek_moe_cuda";
    public const int AbiVersion = 2;

    private static int s_registered;

    /// <summary>Registers the resolver once per process; later calls do nothing.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
        }
    }

    /// <summary>Gets the runtime identifier of the folder searched, for example <c>linux-x64</c>.</summary>
    public static string Rid
    {
        get
        {
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        }
    }

    /// <summary>Gets the file a library is loaded from.</summary>
    public static string PathOf(string libraryName, string baseDirectory)
    {
        string file = OperatingSystem.IsWindows() ? $"{libraryName}.dll"
            : OperatingSystem.IsMacOS() ? $"lib{libraryName}.dylib"
            : $"lib{libraryName}.so";
        return Path.Combine(baseDirectory, "runtimes", Rid, "native", file);
    }

    /// <summary>The message for a library that is not where it should be.</summary>
    public static string MissingMessage(string libraryName, string path)
    {
        string how = libraryName == CudaLibrary
            ? "It is built only where CMake finds a CUDA compiler (nvcc): build on a machine with the CUDA toolkit, or use the native-cpu backend."
            : "`dotnet build` builds it from native/ with CMake (cmake -S native -B native/build/Release -DCMAKE_BUILD_TYPE=Release, "
              + "then cmake --build native/build/Release), which needs cmake and a C++ compiler, and copies it into "
              + $"runtimes/{Rid}/native/ of every project that references DeepSeek.Moe.Native.";
        return $"The native library '{libraryName}' was not found at '{path}'. {how}";
    }

    /// <summary>The message for a library built from another version of <c>deepseek_moe.h</c>.</summary>
    /// <param name="libraryName">The library asked for.</param>
    /// <param name="path">The file loaded.</param>
    /// <param name="found">The version the library reports, or -1 when it exports no <c>dsm_abi_version</c>.</param>
    public static string AbiMismatchMessage(string libraryName, string path, int found)
    {
        string what = found < 0 ? "exports no dsm_abi_version" : $"implements ABI version {found}";
        return $"The native library '{libraryName}' at '{path}' {what}, but DeepSeek.Moe.Native needs ABI version {AbiVersion}: "
            + "rebuild native/ from the same checkout (dotnet build does it) so the library matches native/include/deepseek_moe.h.";
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is not (CpuLibrary or CudaLibrary))
        {
            return 0;
        }

        string path = PathOf(libraryName, AppContext.BaseDirectory);
        if (!File.Exists(path))
        {
            throw new NativeLibraryLoadException(libraryName, path, MissingMessage(libraryName, path));
        }

        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException ex)
        {
            throw new NativeLibraryLoadException(libraryName, path, $"The native library '{libraryName}' at '{path}' exists but cannot be loaded: {ex.Message}", ex);
        }

        RequireAbi(libraryName, path, handle);
        return handle;
    }

    private static unsafe void RequireAbi(string libraryName, string path, nint handle)
    {
        // A raw export rather than an import: the import would come back to this resolver.
        int found = NativeLibrary.TryGetExport(handle, "dsm_abi_version", out var export)
            ? ((delegate* unmanaged<int>)export)()
            : -1;
        if (found != AbiVersion)
        {
            NativeLibrary.Free(handle);
            throw new NativeLibraryLoadException(libraryName, path, AbiMismatchMessage(libraryName, path, found));
        }
    }
}
