namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// The answer to <c>GET /api/v1/jobs/{id}/output</c>: unknown, pending (with progress), failed, or ready to be
/// written as JSONL in input order, one line per input line (<c>{"line":N,"outputs":[[...]],"routing":[...]}</c>
/// or <c>{"line":N,"error":"..."}</c>, N 1-based).
/// </summary>
public sealed class JobOutput
{
    private readonly Func<Stream, CancellationToken, Task>? _write;

    internal JobOutput(JobOutputState state, JobView? status, Func<Stream, CancellationToken, Task>? write = null)
    {
        State = state;
        Status = status;
        _write = write;
    }

    /// <summary>Gets whether the output can be written.</summary>
    public JobOutputState State { get; }

    /// <summary>Gets the job's status (null when the job is unknown).</summary>
    public JobView? Status { get; }

    /// <summary>Writes the JSONL output, streaming chunk results from storage (UTF-8, <c>\n</c> after every line).</summary>
    /// <param name="destination">Where to write it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException"><see cref="State"/> is not <see cref="JobOutputState.Ready"/>.</exception>
    /// <exception cref="InvalidDataException">The stored manifest and results do not account for every line exactly once.</exception>
    public Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return _write is null
            ? throw new InvalidOperationException($"The output of job {Status?.JobId ?? "(unknown)"} is not ready: it is {State}.")
            : _write(destination, cancellationToken);
    }
}
