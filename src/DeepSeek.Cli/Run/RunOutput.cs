namespace DeepSeek.Cli.Run;

/// <summary>The output file of <c>deepseek run</c>: the same shape as the HTTP response.</summary>
internal sealed record RunOutput(ModelRef Model, ulong Seed, string Backend, float[][] Outputs, RowRouting[] Routing);
