using System.ComponentModel.DataAnnotations;

namespace DeepSeek.Pipeline.Privacy;

/// <summary>Redaction, pseudonyms and the stored form of inputs (section <c>Privacy</c>).</summary>
public sealed class PrivacyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Privacy";

    /// <summary>
    /// Gets or sets the HMAC-SHA256 key of pseudonyms, base64, at least 32 bytes. Keep it secret and stable: the
    /// same value then always maps to the same pseudonym. <value>Defaults to empty: a random key per process
    /// (pseudonyms do not survive a restart and differ between instances; a warning is logged).</value>
    /// </summary>
    public string? PseudonymKey { get; set; }

    /// <summary>Gets or sets what replaces a recognized value. <value>Defaults to <see cref="RedactionStyle.Pseudonymize"/>.</value></summary>
    public RedactionStyle Redaction { get; set; } = RedactionStyle.Pseudonymize;

    /// <summary>
    /// Gets or sets the recognizers that run, comma-separated, from <c>secret</c>, <c>email</c>, <c>iban</c>,
    /// <c>card</c>, <c>national-id</c>, <c>phone</c>. <value>Defaults to all of them.</value>
    /// </summary>
    [Required]
    public string Recognizers { get; set; } = string.Join(',', PiiRecognizers.AllKinds);

    /// <summary>
    /// Gets the national id patterns: a name (used in the pseudonym) to a .NET regular expression. A pattern set to
    /// an empty string is switched off. <value>Defaults to <c>us-ssn</c> = <c>\b\d{3}-\d{2}-\d{4}\b</c>.</value>
    /// </summary>
    public Dictionary<string, string> NationalIdPatterns { get; } = new(StringComparer.Ordinal) { ["us-ssn"] = @"\b\d{3}-\d{2}-\d{4}\b" };

    /// <summary>Gets or sets how an audit record keeps a request's input. <value>Defaults to <see cref="InputPolicy.Hash"/>.</value></summary>
    public InputPolicy InputPolicy { get; set; } = InputPolicy.Hash;

    /// <summary>Gets or sets the noise added under <see cref="InputPolicy.Noised"/>. <value>Defaults to <see cref="NoiseKind.Laplace"/>.</value></summary>
    public NoiseKind InputNoise { get; set; } = NoiseKind.Laplace;

    /// <summary>
    /// Gets or sets the noise scale under <see cref="InputPolicy.Noised"/>: the Laplace scale b, or the Gaussian
    /// standard deviation. <value>Defaults to 0.1.</value>
    /// </summary>
    [Range(1e-12, 1e12)]
    public double InputNoiseScale { get; set; } = 0.1;

    /// <summary>Gets or sets the most metadata entries a request may carry. <value>Defaults to 32.</value></summary>
    [Range(0, 1024)]
    public int MaxMetadataEntries { get; set; } = 32;

    /// <summary>Gets or sets the longest metadata key, in characters. <value>Defaults to 64.</value></summary>
    [Range(1, 1024)]
    public int MaxMetadataKeyLength { get; set; } = 64;

    /// <summary>Gets or sets the longest metadata value, in characters. <value>Defaults to 1024.</value></summary>
    [Range(1, 65536)]
    public int MaxMetadataValueLength { get; set; } = 1024;
}
