namespace DeepSeek.Pipeline.Privacy;

/// <summary>A recognized value inside a text.</summary>
/// <param name="Kind">The kind (<c>email</c>, <c>card</c>, ...).</param>
/// <param name="Start">Where the part to replace starts.</param>
/// <param name="Length">How long it is.</param>
/// <param name="Normalized">The value in the form its pseudonym is computed from.</param>
/// <param name="Priority">Lower wins an overlap.</param>
internal readonly record struct PiiMatch(string Kind, int Start, int Length, string Normalized, int Priority)
{
    public int End => Start + Length;
}
