using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace DeepSeek.Pipeline.Storage;

/// <summary>
/// Builds the storage clients from the same settings the Functions host reads: a connection string
/// (<c>AzureWebJobsStorage</c>; local use and Azurite) or, in Azure, an identity-based connection that needs no account
/// key: <c>AzureWebJobsStorage__accountName</c>, or <c>__blobServiceUri</c> + <c>__queueServiceUri</c>, authenticated by
/// <see cref="DefaultAzureCredential"/>; <c>__clientId</c> (or <c>__managedIdentityResourceId</c>) selects a user-assigned
/// managed identity and <c>__credential</c> = <c>managedidentity</c> alone the system-assigned one.
/// </summary>
public static class StorageClients
{
    /// <summary>The default connection name.</summary>
    public const string DefaultConnection = "AzureWebJobsStorage";

    /// <summary>Creates the blob and queue service clients (queues with base64 message encoding).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="connectionName">The connection name. <value>Defaults to <c>AzureWebJobsStorage</c>.</value></param>
    /// <returns>The clients.</returns>
    /// <exception cref="InvalidOperationException">No connection is configured under that name, or only half of one.</exception>
    public static (BlobServiceClient Blobs, QueueServiceClient Queues) Create(IConfiguration configuration, string connectionName = DefaultConnection)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var connectionString = configuration[connectionName] ?? configuration.GetConnectionString(connectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return (new BlobServiceClient(connectionString), new QueueServiceClient(connectionString, queueOptions));
        }

        var section = configuration.GetSection(connectionName);
        var account = section["accountName"];
        var blobUri = section["blobServiceUri"] ?? (account is null ? null : $"https://{account}.blob.core.windows.net");
        var queueUri = section["queueServiceUri"] ?? (account is null ? null : $"https://{account}.queue.core.windows.net");
        if (blobUri is null && queueUri is null)
        {
            throw new InvalidOperationException(
                $"No storage connection '{connectionName}': set {connectionName} to a connection string, or {connectionName}__accountName " +
                $"(or {connectionName}__blobServiceUri and {connectionName}__queueServiceUri) for a managed identity.");
        }

        if (blobUri is null || queueUri is null)
        {
            var missing = blobUri is null ? "blobServiceUri" : "queueServiceUri";
            throw new InvalidOperationException(
                $"The storage connection '{connectionName}' names one service address but not {connectionName}__{missing}: the pipeline uses blobs and queues, so set both (or {connectionName}__accountName).");
        }

        var credential = Credential(section);
        return (new BlobServiceClient(new Uri(blobUri), credential), new QueueServiceClient(new Uri(queueUri), credential, queueOptions));
    }

    /// <summary>The token credential of an identity-based connection.</summary>
    /// <param name="section">The connection's section (<c>clientId</c>, <c>managedIdentityResourceId</c>, <c>credential</c>).</param>
    /// <returns>A user-assigned or system-assigned managed identity, else <see cref="DefaultAzureCredential"/>.</returns>
    internal static TokenCredential Credential(IConfigurationSection section)
    {
        if (section["clientId"] is { Length: > 0 } clientId)
        {
            return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        if (section["managedIdentityResourceId"] is { Length: > 0 } resourceId)
        {
            return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(resourceId)));
        }

        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
    }
}
