namespace DeepSeek.Pipeline.Messages;

/// <summary>Asks the jobs stage to split a submitted batch job into gate requests.</summary>
/// <param name="V">The message schema version.</param>
/// <param name="JobId">The job.</param>
public sealed record JobMessage(int V, string JobId)
{
    /// <summary>The schema version this build writes.</summary>
    public const int Current = 1;
}
