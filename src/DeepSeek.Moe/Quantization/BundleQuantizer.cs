using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Quantization;

/// <summary>
/// Writes a copy of an fp32 bundle whose expert weights (and, when asked, the gate's) are converted: every MatMul over a
/// 2-D weight becomes ONNX Runtime's <c>com.microsoft.MatMulNBits</c> over 8- or 4-bit block-quantized codes, or reads a
/// float16 weight through a Cast. Graph inputs and outputs stay <c>x</c> and <c>y</c>, so the bundle loads, runs and is
/// audited like any other; its manifest records the precision, the block size and the checksums of the new files.
/// </summary>
public static class BundleQuantizer
{
    /// <summary>Converts a bundle into a new folder and loads the result.</summary>
    /// <param name="source">An fp32 bundle.</param>
    /// <param name="directory">The folder to write (it must be empty or absent).</param>
    /// <param name="options">The target precision and block layout.</param>
    /// <returns>The validated new bundle.</returns>
    /// <exception cref="ArgumentException">The options are invalid, or the source bundle is not fp32.</exception>
    /// <exception cref="IOException">The folder exists and is not empty.</exception>
    /// <exception cref="BundleException">A file holds no weight to convert.</exception>
    public static ModelBundle Quantize(ModelBundle source, string directory, QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options.Validate();
        var m = source.Manifest;
        if (m.Precision != WeightPrecisions.Fp32)
        {
            throw new ArgumentException($"Bundle '{m.Id}' {m.Version} is already {m.Precision}; convert its fp32 source instead.", nameof(source));
        }

        if (string.Equals(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar), source.Directory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new ArgumentException("The output folder is the source bundle's folder; choose a new folder.", nameof(directory));
        }

        BundleFolder.PrepareEmpty(directory);
        try
        {
            var format = new WeightFormat(options.Precision, options.BlockSize, options.Symmetric);
            string Convert(string file)
            {
                if (OnnxWeightConverter.Convert(source.PathOf(file), Path.Combine(directory, file), format) == 0)
                {
                    throw new BundleException(file, null, "holds no MatMul over a 2-D float weight to convert");
                }

                return FileHash.Sha256(Path.Combine(directory, file));
            }

            ExpertManifest ConvertExpert(ExpertManifest e) => e with { Sha256 = Convert(e.File) };
            GateManifest gate;
            if (options.Gate)
            {
                gate = m.Gate with { Sha256 = Convert(m.Gate.File) };
            }
            else
            {
                File.Copy(source.PathOf(m.Gate.File), Path.Combine(directory, m.Gate.File));
                gate = m.Gate;
            }

            var manifest = m with
            {
                Version = $"{m.Version}-{options.Precision}",
                Gate = gate,
                Experts = [.. m.Experts.Select(ConvertExpert)],
                SharedExperts = [.. m.SharedExperts.Select(ConvertExpert)],
                Precision = options.Precision,
                Quantization = new QuantizationManifest
                {
                    BlockSize = format.Bits is null ? null : options.BlockSize,
                    Symmetric = format.Bits is not null && options.Symmetric,
                    Gate = options.Gate,
                    From = $"{m.Id} {m.Version}",
                },
            };
            ModelBundle.WriteManifest(directory, manifest);
            return ModelBundle.Load(directory);
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
