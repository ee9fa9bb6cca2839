namespace DeepSeek.Pipeline.Messages;

/// <summary>A model id and version.</summary>
/// <param name="Id">The model id.</param>
/// <param name="Version">The model version.</param>
public sealed record ModelRef(string Id, string Version);
