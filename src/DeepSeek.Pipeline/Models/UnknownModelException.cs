namespace DeepSeek.Pipeline.Models;

/// <summary>A request or message names a model (or model version) this instance does not serve.</summary>
public sealed class UnknownModelException(string message) : Exception(message);
