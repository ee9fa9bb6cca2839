namespace DeepSeek.Pipeline.Requests;

/// <summary>The states of a request, as the status route reports them.</summary>
public static class RequestStatus
{
    /// <summary>Accepted, not yet routed.</summary>
    public const string Queued = "queued";

    /// <summary>Routed; experts or aggregation under way.</summary>
    public const string Running = "running";

    /// <summary>A result is stored.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>A failure is stored.</summary>
    public const string Failed = "failed";
}
