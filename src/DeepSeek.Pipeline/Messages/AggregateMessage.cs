namespace DeepSeek.Pipeline.Messages;

/// <summary>Tells the aggregate stage that one expert's partial output of a request is stored.</summary>
/// <param name="V">The message schema version.</param>
/// <param name="RequestId">The request.</param>
/// <param name="Expert">The expert whose partial is stored.</param>
public sealed record AggregateMessage(int V, string RequestId, int Expert)
{
    /// <summary>The schema version this build writes.</summary>
    public const int Current = 1;
}
