namespace DeepSeek.Moe.Engine;

/// <summary>A request's input cannot be run; <see cref="Field"/> points at the offending part (for example <c>inputs[3][17]</c>).</summary>
public sealed class InvalidInputException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="field">The offending field.</param>
    /// <param name="problem">What is wrong with it.</param>
    public InvalidInputException(string field, string problem)
        : base($"{field} {problem}.")
    {
        Field = field;
    }

    /// <summary>Gets the offending field.</summary>
    public string Field { get; }
}
