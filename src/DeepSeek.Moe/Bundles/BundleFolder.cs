namespace DeepSeek.Moe.Bundles;

/// <summary>Folder handling shared by the bundle writers.</summary>
public static class BundleFolder
{
    /// <summary>Creates a folder for a new bundle, refusing to mix files into a non-empty one.</summary>
    /// <param name="directory">The folder.</param>
    /// <exception cref="IOException">The folder exists and is not empty.</exception>
    public static void PrepareEmpty(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"The output folder '{Path.GetFullPath(directory)}' is not empty; choose a new folder or empty it first.");
        }

        Directory.CreateDirectory(directory);
    }
}
