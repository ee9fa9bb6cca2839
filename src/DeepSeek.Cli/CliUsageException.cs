namespace DeepSeek.Cli;

/// <summary>A command was used wrongly in a way the parser cannot see (for example an input file of the wrong shape).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
