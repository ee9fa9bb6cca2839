namespace DeepSeek.Pipeline.Security;

/// <summary>
/// Reads a caller from claims, whichever naming they arrive in: the short names of a JWT (<c>tid</c>, <c>oid</c>,
/// <c>roles</c>) or the long URIs App Service Authentication's principal header maps them to.
/// </summary>
internal static class CallerClaims
{
    private const string TenantUri = "http://schemas.microsoft.com/identity/claims/tenantid";
    private const string ObjectIdUri = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string NameIdentifierUri = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
    private const string RoleUri = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    public static CallerIdentity Identity(IReadOnlyCollection<KeyValuePair<string, string>> claims, string tenantClaim, string scheme, string? roleType = null)
    {
        string[] tenantTypes = tenantClaim == "tid" ? ["tid", TenantUri] : [tenantClaim];
        string[] roleTypes = roleType is { Length: > 0 } ? ["roles", "role", RoleUri, roleType] : ["roles", "role", RoleUri];
        return new CallerIdentity
        {
            Caller = First(claims, "oid", ObjectIdUri) ?? First(claims, "sub", NameIdentifierUri),
            Tenant = First(claims, tenantTypes),
            ClientId = First(claims, "azp", "appid"),
            Roles = All(claims, roleTypes),
            Groups = All(claims, "groups"),
            Scheme = scheme,
        };
    }

    private static string? First(IReadOnlyCollection<KeyValuePair<string, string>> claims, params string[] types) =>
        claims.FirstOrDefault(c => types.Contains(c.Key, StringComparer.Ordinal) && c.Value.Length > 0).Value;

    private static HashSet<string> All(IReadOnlyCollection<KeyValuePair<string, string>> claims, params string[] types) =>
        claims.Where(c => types.Contains(c.Key, StringComparer.Ordinal) && c.Value.Length > 0).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}
