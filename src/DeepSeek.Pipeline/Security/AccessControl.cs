using DeepSeek.Pipeline.Http;
using DeepSeek.Pipeline.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// Every access decision of the HTTP contract, in one place for both hosts: authentication and the route's role
/// (401, 403), per-model allow lists (403), and tenant isolation (a read of another tenant's request, job or audit
/// record is answered 404, exactly as for one that does not exist, so existence does not leak). Every denial is audited.
/// </summary>
public sealed class AccessControl
{
    private readonly RequestAuthenticator _authenticator;
    private readonly ModelAccessPolicy _models;
    private readonly SecurityAuditWriter _audit;
    private readonly AuthOptions _options;

    internal AccessControl(RequestAuthenticator authenticator, ModelAccessPolicy models, SecurityAuditWriter audit, IOptions<AuthOptions> options)
    {
        _authenticator = authenticator;
        _models = models;
        _audit = audit;
        _options = options.Value;
    }

    /// <summary>Authenticates a request and checks that the caller holds the route's role and belongs to a tenant.</summary>
    /// <param name="request">The HTTP request.</param>
    /// <param name="route">The route, for the audit record (<c>POST /api/v1/infer</c>).</param>
    /// <param name="role">The role the route requires (<see cref="MoeRoles"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The caller, or a 401 (with a <c>WWW-Authenticate: Bearer</c> challenge) or 403 problem.</returns>
    public async Task<AccessDecision> AuthorizeAsync(HttpRequest request, string route, string role, CancellationToken cancellationToken)
    {
        var outcome = await _authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Caller is not { } caller)
        {
            await _audit.WriteDenialAsync(new DenialRecord { Route = route, Status = 401, Reason = outcome.Reason!, Detail = outcome.Detail }).ConfigureAwait(false);
            var challenge = outcome.TokenPresented ? $"Bearer error=\"invalid_token\", error_description=\"{outcome.Detail}\"" : "Bearer";
            return new AccessDecision(null, Problems.Unauthorized(outcome.Detail!, challenge));
        }

        if (!caller.AuthenticationDisabled && caller.Tenant is null)
        {
            return new AccessDecision(null, await ForbidAsync(caller, route, "no-tenant",
                $"The credential names no tenant (claim '{_options.TenantClaim}'); every caller must belong to one.", null, null).ConfigureAwait(false));
        }

        if (!caller.HasRole(role))
        {
            return new AccessDecision(null, await ForbidAsync(caller, route, "missing-role", $"This route requires the app role '{role}'.", null, null).ConfigureAwait(false));
        }

        return new AccessDecision(caller, null);
    }

    /// <summary>Checks a model against its allow list.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="route">The route, for the audit record.</param>
    /// <param name="model">The model id.</param>
    /// <returns>Null when allowed, else the 403 problem (audited).</returns>
    public async Task<ApiResponse?> CheckModelAsync(CallerIdentity caller, string route, string model) =>
        MayUseModel(caller, model) ? null : await DenyModelAsync(caller, route, model).ConfigureAwait(false);

    /// <summary>Tells whether a caller may use a model; a refusal found this way is answered with <see cref="DenyModelAsync"/>.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="model">The model id.</param>
    /// <returns>True when the model's allow list names the caller.</returns>
    public bool MayUseModel(CallerIdentity caller, string model) => _models.Allows(caller, model);

    /// <summary>Audits and answers the refusal of a model.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="route">The route, for the audit record.</param>
    /// <param name="model">The model id.</param>
    /// <returns>The 403 problem.</returns>
    public Task<ApiResponse> DenyModelAsync(CallerIdentity caller, string route, string model) =>
        ForbidAsync(caller, route, "model-not-allowed", $"The caller may not use model '{model}'.", model, null);

    /// <summary>
    /// Tells whether a caller may read a stored request, job or audit record. Its own tenant's: yes; a record written
    /// without a tenant (before access control, or with authentication off): Admin only; another tenant's: only Admin
    /// with <see cref="AuthOptions.AdminCrossTenant"/>. A refusal is audited; the caller answers it as not found.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="route">The route, for the audit record.</param>
    /// <param name="resourceId">The request or job id.</param>
    /// <param name="owner">Whom the resource belongs to; null when nothing is stored under that id (the read answers 404 itself).</param>
    /// <returns>True when the read may proceed.</returns>
    public async Task<bool> CanReadAsync(CallerIdentity caller, string route, string resourceId, RequestOwner? owner)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.AuthenticationDisabled || owner is null)
        {
            return true;
        }

        bool allowed = owner.Tenant is null ? caller.IsAdmin
            : string.Equals(owner.Tenant, caller.Tenant, StringComparison.Ordinal) || (caller.IsAdmin && _options.AdminCrossTenant);
        if (!allowed)
        {
            await _audit.WriteDenialAsync(Denial(caller, route, 404, owner.Tenant is null ? "no-tenant-record" : "other-tenant",
                owner.Tenant is null ? "The record was written without a tenant; only Admin reads it." : "The record belongs to another tenant.", null, resourceId)).ConfigureAwait(false);
        }

        return allowed;
    }

    private async Task<ApiResponse> ForbidAsync(CallerIdentity caller, string route, string reason, string detail, string? model, string? resourceId)
    {
        await _audit.WriteDenialAsync(Denial(caller, route, 403, reason, detail, model, resourceId)).ConfigureAwait(false);
        return Problems.Forbidden(detail);
    }

    private static DenialRecord Denial(CallerIdentity caller, string route, int status, string reason, string detail, string? model, string? resourceId) => new()
    {
        Route = route,
        Status = status,
        Reason = reason,
        Detail = detail,
        Scheme = caller.Scheme,
        Tenant = caller.Tenant,
        Caller = caller.Caller,
        ClientId = caller.ClientId,
        Model = model,
        ResourceId = resourceId,
    };
}
