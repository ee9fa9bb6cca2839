namespace DeepSeek.Pipeline.Audit;

/// <summary>The model of an audited request: id, version, and the SHA-256 of every file that could have run.</summary>
/// <param name="Id">The model id.</param>
/// <param name="Version">The model version.</param>
/// <param name="Files">File name to SHA-256 (gate, routed and shared experts).</param>
public sealed record AuditModel(string Id, string Version, IReadOnlyDictionary<string, string> Files);
