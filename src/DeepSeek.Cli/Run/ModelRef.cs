namespace DeepSeek.Cli.Run;

/// <summary>The model that produced a result.</summary>
internal sealed record ModelRef(string Id, string Version);
