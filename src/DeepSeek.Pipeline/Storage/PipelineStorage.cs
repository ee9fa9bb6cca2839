using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace DeepSeek.Pipeline.Storage;

/// <summary>
/// The pipeline's only door to Azure Storage: conditional blob writes (the source of exactly-once
/// effects), reads that treat 404 as absence, listing, and queue sends. Thread-safe; a DI singleton.
/// </summary>
public sealed class PipelineStorage
{
    private readonly BlobServiceClient _blobs;
    private readonly QueueServiceClient _queues;
    private readonly ConcurrentDictionary<string, BlobContainerClient> _containers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, QueueClient> _queueClients = new(StringComparer.Ordinal);

    /// <summary>Initializes the storage over service clients (queues must use base64 message encoding, as Functions queue triggers expect).</summary>
    /// <param name="blobs">The blob service.</param>
    /// <param name="queues">The queue service.</param>
    /// <param name="layout">The names.</param>
    public PipelineStorage(BlobServiceClient blobs, QueueServiceClient queues, StorageLayout layout)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(layout);
        _blobs = blobs;
        _queues = queues;
        Layout = layout;
    }

    /// <summary>Gets the names.</summary>
    public StorageLayout Layout { get; }

    /// <summary>Gets a queue client (base64 encoding).</summary>
    /// <param name="name">The queue.</param>
    /// <returns>The client.</returns>
    public QueueClient Queue(string name) => _queueClients.GetOrAdd(name, _queues.GetQueueClient);

    /// <summary>Creates a blob only if it does not exist (If-None-Match: *).</summary>
    /// <param name="container">The container.</param>
    /// <param name="blob">The blob name.</param>
    /// <param name="content">The content.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when this call created it; false when it already existed.</returns>
    public async Task<bool> TryCreateAsync(string container, string blob, BinaryData content, CancellationToken cancellationToken)
    {
        var client = Container(container).GetBlobClient(blob);
        try
        {
            await client.UploadAsync(content, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Writes a blob unconditionally (for content that is the same whoever writes it).</summary>
    /// <param name="container">The container.</param>
    /// <param name="blob">The blob name.</param>
    /// <param name="content">The content.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task WriteAsync(string container, string blob, BinaryData content, CancellationToken cancellationToken) =>
        await Container(container).GetBlobClient(blob).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes a blob if it exists.</summary>
    /// <param name="container">The container.</param>
    /// <param name="blob">The blob name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task DeleteAsync(string container, string blob, CancellationToken cancellationToken) =>
        await Container(container).GetBlobClient(blob).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a blob.</summary>
    /// <param name="container">The container.</param>
    /// <param name="blob">The blob name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The content, or null when it does not exist.</returns>
    public async Task<BinaryData?> TryReadAsync(string container, string blob, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Container(container).GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Reads a blob with its ETag, for a later <see cref="TryReplaceAsync"/>.</summary>
    /// <param name="container">The container.</param>
    /// <param name="blob">The blob name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The content and ETag, or null when it does not exist.</returns>
    public async Task<(BinaryData Content, ETag ETag)?> TryReadVersionedAsync(string container, string blob, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Container(container).GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return (result.Value.Content, result.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces a blob only if it is still the version read (If-Match), or creates it only if absent (If-None-Match: *)
    /// when <paramref name="expected"/> is null: the compare-and-swap behind serialized appends and budget ledgers.
    /// </summary>
    /// <param name="container">The container.</param>
    /// <param name="blob">The blob name.</param>
    /// <param name="content">The content.</param>
    /// <param name="expected">The ETag read, or null to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when written; false when another writer changed (or created) it first.</returns>
    public async Task<bool> TryReplaceAsync(string container, string blob, BinaryData content, ETag? expected, CancellationToken cancellationToken)
    {
        var conditions = expected is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await Container(container).GetBlobClient(blob).UploadAsync(content, new BlobUploadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Tells whether a blob exists.</summary>
    /// <param name="container">The container.</param>
    /// <param name="blob">The blob name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it exists.</returns>
    public async Task<bool> ExistsAsync(string container, string blob, CancellationToken cancellationToken) =>
        (await Container(container).GetBlobClient(blob).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Lists blob names under a prefix.</summary>
    /// <param name="container">The container.</param>
    /// <param name="prefix">The name prefix.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The names, in lexical order.</returns>
    public async Task<IReadOnlyList<string>> ListAsync(string container, string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var item in Container(container).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        return names;
    }

    /// <summary>Sends a message to a queue.</summary>
    /// <param name="queue">The queue.</param>
    /// <param name="message">The message text (JSON).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task SendAsync(string queue, BinaryData message, CancellationToken cancellationToken) =>
        await Queue(queue).SendMessageAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Creates every queue (with its poison queue) and container the layout names for these shards.</summary>
    /// <param name="shards">The expert shards in use.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task EnsureCreatedAsync(IEnumerable<int> shards, CancellationToken cancellationToken)
    {
        foreach (var queue in Layout.WorkQueues(shards))
        {
            await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await Queue(StorageLayout.Poison(queue)).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var container in Layout.Containers)
        {
            await Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private BlobContainerClient Container(string name) => _containers.GetOrAdd(name, _blobs.GetBlobContainerClient);
}
