namespace DeepSeek.Pipeline.Requests;

/// <summary>Who a request or job belongs to, as authenticated at ingress; both are null when authentication was off.</summary>
/// <param name="Tenant">The caller's tenant, in clear; reads from other tenants are answered 404.</param>
/// <param name="Caller">The caller's pseudonym (<see cref="Privacy.Pseudonymizer.Caller"/>), never the raw object id; no access check compares it.</param>
public sealed record RequestOwner(string? Tenant, string? Caller);
