using DeepSeek.Pipeline.Requests;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>What the jobs API accepted (<c>jobs/{job}/job.json</c>, create-if-absent); its presence makes a job known.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Model">The job's model (a line may name another).</param>
/// <param name="Caller">The caller's pseudonym (<see cref="Privacy.Pseudonymizer.Caller"/>), never the raw object id.</param>
/// <param name="SubmittedAt">When it was accepted.</param>
/// <param name="Lines">The number of input lines (trailing blank lines not counted).</param>
/// <param name="Bytes">The size of the input.</param>
/// <param name="Tenant">The caller's tenant as authenticated at ingress, in clear; its chunks' requests carry it too (null in records written before access control).</param>
internal sealed record JobRecord(string JobId, string Model, string? Caller, DateTimeOffset SubmittedAt, int Lines, long Bytes, string? Tenant = null)
{
    /// <summary>Gets whom the job belongs to.</summary>
    public RequestOwner Owner => new(Tenant, Caller);
}
