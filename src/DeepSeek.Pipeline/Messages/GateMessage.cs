using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Messages;

/// <summary>Asks the gate stage to route a request; carries the whole request record so the gate reads nothing else.</summary>
/// <param name="V">The message schema version.</param>
/// <param name="Request">The request.</param>
public sealed record GateMessage(int V, RequestRecord Request)
{
    /// <summary>The schema version this build writes.</summary>
    public const int Current = 1;
}
