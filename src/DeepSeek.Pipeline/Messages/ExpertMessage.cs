namespace DeepSeek.Pipeline.Messages;

/// <summary>Asks an expert shard to run one expert on some rows of a request.</summary>
/// <param name="V">The message schema version.</param>
/// <param name="RequestId">The request.</param>
/// <param name="Model">The model and version the plan was made with.</param>
/// <param name="Expert">The expert: a routed index, or experts + s for shared expert s.</param>
/// <param name="Rows">The request's row indices this expert runs on, ascending.</param>
/// <param name="Payload">Inline: exactly these rows. Blob: the request's full input.</param>
public sealed record ExpertMessage(int V, string RequestId, ModelRef Model, int Expert, int[] Rows, PayloadRef Payload)
{
    /// <summary>The schema version this build writes.</summary>
    public const int Current = 1;
}
