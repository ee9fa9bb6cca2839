namespace DeepSeek.Pipeline.Security;

/// <summary>
/// The Entra ID app roles the HTTP routes require (the <c>roles</c> claim). <see cref="Admin"/> holds every other role;
/// it does not cross tenants unless <see cref="AuthOptions.AdminCrossTenant"/> says so.
/// </summary>
public static class MoeRoles
{
    /// <summary><c>POST /api/v1/infer</c> and <c>GET /api/v1/requests/{id}</c>.</summary>
    public const string InferenceInvoke = "Inference.Invoke";

    /// <summary><c>POST /api/v1/jobs</c>, <c>GET /api/v1/jobs/{id}</c> and <c>GET /api/v1/jobs/{id}/output</c>.</summary>
    public const string JobsSubmit = "Jobs.Submit";

    /// <summary><c>GET /api/v1/requests/{id}/audit</c>, and <c>GET /api/v1/stats</c> (released differentially private figures, across tenants).</summary>
    public const string AuditRead = "Audit.Read";

    /// <summary>
    /// Every route; alone <c>POST /api/v1/stats/release</c> (it spends the privacy budget of figures across tenants); records
    /// written without a tenant; other tenants only with <see cref="AuthOptions.AdminCrossTenant"/>.
    /// </summary>
    public const string Admin = "Admin";

    /// <summary>Gets every role, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [InferenceInvoke, JobsSubmit, AuditRead, Admin];
}
