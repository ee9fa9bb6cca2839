using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace DeepSeek.Pipeline.Storage;

/// <summary>
/// Builds the storage clients from the same settings the Functions host reads: a connection string
/// (<c>AzureWebJobsStorage</c>) or an identity-based connection (<c>AzureWebJobsStorage__accountName</c>,
/// or <c>__blobServiceUri</c> + <c>__queueServiceUri</c>, with optional <c>__clientId</c> for a user-assigned identity).
/// </summary>
public static class StorageClients
{
    /// <summary>The default connection name.</summary>
    public const string DefaultConnection = "AzureWebJobsStorage";

    /// <summary>Creates the blob and queue service clients (queues with base64 message encoding).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="connectionName">The connection name. <value>Defaults to <c>AzureWebJobsStorage</c>.</value></param>
    /// <returns>The clients.</returns>
    /// <exception cref="InvalidOperationException">No connection is configured under that name.</exception>
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
        if (blobUri is null || queueUri is null)
        {
            throw new InvalidOperationException(
                $"No storage connection '{connectionName}': set {connectionName} to a connection string, or {connectionName}__accountName " +
                $"(or {connectionName}__blobServiceUri and {connectionName}__queueServiceUri) for a managed identity.");
        }

        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return (new BlobServiceClient(new Uri(blobUri), credential), new QueueServiceClient(new Uri(queueUri), credential, queueOptions));
    }
}
