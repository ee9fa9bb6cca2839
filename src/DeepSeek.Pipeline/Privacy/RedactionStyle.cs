namespace DeepSeek.Pipeline.Privacy;

/// <summary>What replaces a recognized personal value or secret.</summary>
public enum RedactionStyle
{
    /// <summary>A keyed HMAC pseudonym, <c>pii:{kind}:{16 hex}</c>: equal values stay linkable, the value is not recoverable.</summary>
    Pseudonymize,

    /// <summary>A fixed mask, <c>[redacted:{kind}]</c>: nothing stays linkable.</summary>
    Mask,
}
