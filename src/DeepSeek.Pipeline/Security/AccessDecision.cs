using DeepSeek.Pipeline.Http;

namespace DeepSeek.Pipeline.Security;

/// <summary>The answer of <see cref="AccessControl.AuthorizeAsync"/>: the caller, or the problem to answer instead (already audited).</summary>
/// <param name="Caller">The caller, when allowed.</param>
/// <param name="Denial">The 401 or 403 problem, when not.</param>
public sealed record AccessDecision(CallerIdentity? Caller, ApiResponse? Denial);
