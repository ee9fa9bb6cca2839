using Azure.Core;
using Azure.Identity;

namespace DeepSeek.Functions.Hosting;

/// <summary>
/// The credential the worker's Application Insights exporter signs in with, read from the setting the Functions host
/// itself honours (<c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> = <c>Authorization=AAD;ClientId=...</c>). A
/// component with local authentication disabled (bicep/modules/monitoring.bicep) accepts only Entra ID-authenticated
/// telemetry, and the exporter does not read that setting on its own.
/// </summary>
internal static class AppInsightsCredential
{
    /// <summary>The setting.</summary>
    public const string Setting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Reads the setting.</summary>
    /// <param name="authentication">Its value, or null.</param>
    /// <returns>The managed identity it names (the system-assigned one without a client id), or null when it asks for no Entra ID authentication.</returns>
    public static TokenCredential? From(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !kind.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
