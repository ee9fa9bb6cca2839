namespace DeepSeek.Moe.Engine;

/// <summary>How an engine evaluates experts.</summary>
public enum ForwardMode
{
    /// <summary>Each activated expert runs once per batch, on its routed rows only.</summary>
    Sparse,

    /// <summary>Every expert runs on every row (the dense baseline); the combination is the same as sparse.</summary>
    Dense,
}
