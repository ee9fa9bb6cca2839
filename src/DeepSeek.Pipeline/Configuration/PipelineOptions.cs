using System.ComponentModel.DataAnnotations;

namespace DeepSeek.Pipeline.Configuration;

/// <summary>Settings of the queue pipeline, shared by the Functions app and the worker (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>Gets or sets the prefix of every queue and container name. <value>Defaults to <c>moe</c>.</value></summary>
    [Required]
    [RegularExpression("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", ErrorMessage = "Prefix must be 1-32 lowercase letters, digits or inner hyphens (it starts queue and container names).")]
    public string Prefix { get; set; } = "moe";

    /// <summary>Gets or sets the folder holding one bundle folder per model. <value>Defaults to <c>models</c>.</value></summary>
    [Required]
    public string ModelsPath { get; set; } = "models";

    /// <summary>Gets or sets the expert backend (see <c>MoeBackends</c>). <value>Defaults to <c>onnx-cpu</c>.</value></summary>
    [Required]
    public string Backend { get; set; } = "onnx-cpu";

    /// <summary>Gets or sets the most rows one request may carry. <value>Defaults to 1024.</value></summary>
    [Range(1, 65536)]
    public int MaxRowsPerRequest { get; set; } = 1024;

    /// <summary>Gets or sets the largest accepted request body in bytes. <value>Defaults to 32 MiB.</value></summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBytes { get; set; } = 32L << 20;

    /// <summary>
    /// Gets or sets the largest message text that carries its payload inline; larger payloads go to a blob
    /// (claim-check). A queue message is 64 KiB, about 48 KiB of text after base64. <value>Defaults to 40,000.</value>
    /// </summary>
    [Range(1024, 48_000)]
    public int InlinePayloadLimitBytes { get; set; } = 40_000;

    /// <summary>Gets or sets how long a synchronous infer call waits before answering 202. <value>Defaults to 30 s.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SyncWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how many input rows a batch job puts into one gate request. Storage operations are paid per
    /// chunk and per activated expert, so larger chunks cost fewer operations per row. <value>Defaults to 256.</value>
    /// </summary>
    [Range(1, 65536)]
    public int JobChunkRows { get; set; } = 256;

    /// <summary>Gets or sets the most lines a batch job may hold. <value>Defaults to 1,000,000.</value></summary>
    [Range(1, 100_000_000)]
    public int MaxJobLines { get; set; } = 1_000_000;
}
