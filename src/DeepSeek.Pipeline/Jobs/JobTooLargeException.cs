namespace DeepSeek.Pipeline.Jobs;

/// <summary>A job body is larger than <c>Pipeline:MaxRequestBytes</c>, or holds more lines than <c>Pipeline:MaxJobLines</c>.</summary>
public sealed class JobTooLargeException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What exceeded which limit.</param>
    /// <param name="limit">The limit exceeded (bytes or lines).</param>
    public JobTooLargeException(string message, long limit)
        : base(message)
    {
        Limit = limit;
    }

    /// <summary>Gets the limit that was exceeded (bytes or lines).</summary>
    public long Limit { get; }
}
