using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Onnx;

namespace DeepSeek.Moe.Experts;

/// <summary>The weights of one expert, row-major, laid out for <c>x @ W</c> (input width first).</summary>
/// <param name="DModel">Input width.</param>
/// <param name="DHidden">Hidden width.</param>
/// <param name="DOut">Output width.</param>
public abstract record ExpertWeights(int DModel, int DHidden, int DOut)
{
    /// <summary>Reads an expert's weights back from its ONNX file.</summary>
    /// <param name="file">The parsed ONNX file.</param>
    /// <param name="kind">The expert kind from the manifest (<see cref="ExpertKinds"/>).</param>
    /// <returns>The weights.</returns>
    /// <exception cref="BundleException">The kind is unknown or an initializer is missing or misshapen.</exception>
    public static ExpertWeights Read(OnnxModelFile file, string kind)
    {
        ArgumentNullException.ThrowIfNull(file);
        return kind switch
        {
            ExpertKinds.LinearLayerNormGelu => LinearLayerNormGeluWeights.Read(file),
            ExpertKinds.SwiGlu or ExpertKinds.GatedSwiGlu => SwiGluWeights.Read(file, kind == ExpertKinds.GatedSwiGlu),
            _ => throw new BundleException(file.DisplayName, "kind", $"unknown expert kind '{kind}'"),
        };
    }

    /// <summary>Writes these weights as an ONNX expert model.</summary>
    /// <param name="path">The file to write.</param>
    public abstract void Save(string path);

    /// <summary>Gets the expert kind (<see cref="ExpertKinds"/>).</summary>
    public abstract string Kind { get; }
}
