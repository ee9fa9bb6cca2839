using System.Text.Json;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Bundles;

/// <summary>A validated model bundle on disk: <c>moe.json</c>, <c>gate.onnx</c> and one ONNX file per expert.</summary>
public sealed class ModelBundle
{
    private ModelBundle(string directory, MoeManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>Gets the absolute bundle folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the validated manifest.</summary>
    public MoeManifest Manifest { get; }

    /// <summary>Gets the number of routed experts.</summary>
    public int ExpertCount => Manifest.Experts.Count;

    /// <summary>Gets the bundle's files: the manifest, the gate and every routed and shared expert file.</summary>
    public IReadOnlyList<string> Files =>
        [MoeManifest.FileName, Manifest.Gate.File, .. Manifest.Experts.Select(e => e.File), .. Manifest.SharedExperts.Select(e => e.File)];

    /// <summary>Sums the sizes of <see cref="Files"/> on disk.</summary>
    /// <returns>The bytes.</returns>
    public long SizeOnDisk() => Files.Sum(f => new FileInfo(PathOf(f)).Length);

    /// <summary>Gets the absolute path of a file named in the manifest.</summary>
    /// <param name="file">A file name from the manifest.</param>
    /// <returns>The path inside the bundle folder.</returns>
    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Loads and validates a bundle: the manifest fields, every file's SHA-256, and each ONNX file's input and output names and shapes.</summary>
    /// <param name="directory">The bundle folder.</param>
    /// <param name="verifyChecksums">Whether to hash every file against the manifest. <value>Defaults to true.</value></param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleException">Anything is missing or wrong; the message names the file and field.</exception>
    public static ModelBundle Load(string directory, bool verifyChecksums = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new BundleException(MoeManifest.FileName, null, $"bundle folder '{full}' does not exist");
        }

        var manifest = ReadManifest(Path.Combine(full, MoeManifest.FileName));
        ManifestValidator.Validate(manifest);
        var bundle = new ModelBundle(full, manifest);
        bundle.ValidateFiles(verifyChecksums);
        return bundle;
    }

    /// <summary>Parses a manifest file without validating it.</summary>
    /// <param name="path">The <c>moe.json</c> file.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="BundleException">The file is missing or is not valid JSON of the manifest's shape.</exception>
    public static MoeManifest ReadManifest(string path)
    {
        if (!File.Exists(path))
        {
            throw new BundleException(MoeManifest.FileName, null, $"manifest not found at '{path}'");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, BundleJsonContext.Default.MoeManifest)
                ?? throw new BundleException(MoeManifest.FileName, null, "manifest is null");
        }
        catch (JsonException ex)
        {
            throw new BundleException(MoeManifest.FileName, ex.Path, ex.Message, ex);
        }
    }

    /// <summary>Writes a manifest as <c>moe.json</c> into a folder.</summary>
    /// <param name="directory">The bundle folder.</param>
    /// <param name="manifest">The manifest.</param>
    public static void WriteManifest(string directory, MoeManifest manifest)
    {
        var json = JsonSerializer.Serialize(manifest, BundleJsonContext.Default.MoeManifest);
        File.WriteAllText(Path.Combine(directory, MoeManifest.FileName), json + "\n");
    }

    private void ValidateFiles(bool verifyChecksums)
    {
        var m = Manifest;
        ValidateFile(m.Gate.File, m.Gate.Sha256, "gate", ExpertGraphs.GateOutputName, m.Experts.Count, verifyChecksums);
        for (int i = 0; i < m.Experts.Count; i++)
        {
            ValidateFile(m.Experts[i].File, m.Experts[i].Sha256, $"experts[{i}]", ExpertGraphs.OutputName, m.DOut, verifyChecksums);
        }

        for (int i = 0; i < m.SharedExperts.Count; i++)
        {
            ValidateFile(m.SharedExperts[i].File, m.SharedExperts[i].Sha256, $"shared_experts[{i}]", ExpertGraphs.OutputName, m.DOut, verifyChecksums);
        }
    }

    private void ValidateFile(string file, string sha256, string field, string outputName, int outputWidth, bool verifyChecksums)
    {
        var path = PathOf(file);
        if (!File.Exists(path))
        {
            throw new BundleException(file, null, $"file named by {MoeManifest.FileName} {field}.file not found at '{path}'");
        }

        if (verifyChecksums)
        {
            var actual = FileHash.Sha256(path);
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new BundleException(file, "sha256", $"checksum mismatch: {MoeManifest.FileName} {field}.sha256 says {sha256}, the file hashes to {actual}");
            }
        }

        var model = OnnxModelFile.Read(path, file);
        RequireSingle(file, "input", model.Inputs, ExpertGraphs.InputName, Manifest.DModel, nameof(MoeManifest.DModel));
        RequireSingle(file, "output", model.Outputs, outputName, outputWidth, outputName == ExpertGraphs.GateOutputName ? "experts" : "d_out");
    }

    private static void RequireSingle(string file, string role, IReadOnlyList<OnnxTensorSignature> tensors, string name, int width, string widthSource)
    {
        if (tensors.Count != 1 || tensors[0].Name != name)
        {
            throw new BundleException(file, $"graph.{role}",
                $"expected one {role} named '{name}', found [{string.Join(", ", tensors.Select(t => t.Name))}]");
        }

        var t = tensors[0];
        if (t.ElementType != 1)
        {
            throw new BundleException(file, $"graph.{role}.{name}", $"element type is ONNX type {t.ElementType}, expected float (1)");
        }

        if (t.Dims.Count != 2 || t.Dims[0] is not null || t.Dims[1] != width)
        {
            throw new BundleException(file, $"graph.{role}.{name}",
                $"shape is {t.ShapeText}, expected [rows, {width}] with a symbolic rows dimension ({width} from {MoeManifest.FileName} {widthSource})");
        }
    }
}
