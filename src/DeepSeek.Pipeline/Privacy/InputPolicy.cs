namespace DeepSeek.Pipeline.Privacy;

/// <summary>How an audit record keeps the request's input tensor.</summary>
public enum InputPolicy
{
    /// <summary>Only the SHA-256 and the shape (the input cannot be replayed from the audit log).</summary>
    Hash,

    /// <summary>The exact input beside the record (<c>inputs/{id}.bin</c>), so <c>deepseek audit replay</c> can recompute the request.</summary>
    Full,

    /// <summary>The input plus noise of a configured scale, and the SHA-256 of the original (not replayable).</summary>
    Noised,
}
