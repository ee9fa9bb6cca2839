using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Configuration;

namespace DeepSeek.Pipeline.Tests.Storage;

public sealed class StorageClientsTests
{
    [Fact]
    public void Create_AccountName_UsesIdentityEndpointsOfThatAccount()
    {
        var (blobs, queues) = StorageClients.Create(Config(("AzureWebJobsStorage:accountName", "moeprod")));

        Assert.Equal(new Uri("https://moeprod.blob.core.windows.net/"), blobs.Uri);
        Assert.Equal(new Uri("https://moeprod.queue.core.windows.net/"), queues.Uri);
        Assert.Equal("moeprod", blobs.AccountName);
    }

    [Fact]
    public void Create_ServiceUris_UsesThemWithAUserAssignedIdentity()
    {
        var (blobs, queues) = StorageClients.Create(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://acct.privatelink.blob.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://acct.privatelink.queue.core.windows.net"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal("acct.privatelink.blob.core.windows.net", blobs.Uri.Host);
        Assert.Equal("acct.privatelink.queue.core.windows.net", queues.Uri.Host);
    }

    [Fact]
    public void Create_ConnectionString_UsesIt()
    {
        var (blobs, _) = StorageClients.Create(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        Assert.Equal("devstoreaccount1", blobs.AccountName);
    }

    [Fact]
    public void Create_NothingConfigured_ExplainsBothWays()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => StorageClients.Create(Config()));

        Assert.Contains("AzureWebJobsStorage__accountName", ex.Message);
        Assert.Contains("connection string", ex.Message);
    }

    [Fact]
    public void Layout_Prefix_NamesEveryQueueAndContainer()
    {
        var layout = new StorageLayout("bank");

        Assert.Equal(["bank-gate", "bank-expert-0", "bank-expert-3", "bank-aggregate", "bank-jobs"], layout.WorkQueues([3, 0, 3]));
        Assert.Equal("bank-gate-poison", StorageLayout.Poison(layout.GateQueue));
        Assert.Equal(["bank-payloads", "bank-state", "bank-results", "bank-audit", "bank-auditlog", "bank-jobs", "bank-stats"], layout.Containers);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
