using Azure.Identity;
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
    public void Create_IdentityConnection_NeedsNoAccountKey()
    {
        var (identityBlobs, identityQueues) = StorageClients.Create(Config(("AzureWebJobsStorage:accountName", "moeprod")));
        var (keyBlobs, _) = StorageClients.Create(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        // Only a shared key can sign SAS URIs: an identity-based client holds none.
        Assert.False(identityBlobs.CanGenerateAccountSasUri);
        Assert.False(identityQueues.CanGenerateAccountSasUri);
        Assert.True(keyBlobs.CanGenerateAccountSasUri);
    }

    [Fact]
    public void Create_ConnectionStringBesideIdentitySettings_ConnectionStringWins()
    {
        var (blobs, _) = StorageClients.Create(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("AzureWebJobsStorage:accountName", "moeprod")));

        Assert.Equal("devstoreaccount1", blobs.AccountName);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "https://acct.blob.core.windows.net", "queueServiceUri")]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "https://acct.queue.core.windows.net", "blobServiceUri")]
    public void Create_OnlyOneServiceUri_NamesTheMissingOne(string key, string value, string missing)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => StorageClients.Create(Config((key, value))));

        Assert.Contains("AzureWebJobsStorage__" + missing, ex.Message);
    }

    [Theory]
    [InlineData(null, null, null, typeof(DefaultAzureCredential))]
    [InlineData("00000000-0000-0000-0000-000000000001", null, null, typeof(ManagedIdentityCredential))]
    [InlineData(null, "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/moe", null, typeof(ManagedIdentityCredential))]
    [InlineData(null, null, "managedidentity", typeof(ManagedIdentityCredential))]
    public void Credential_Settings_SelectTheIdentity(string? clientId, string? resourceId, string? credential, Type expected)
    {
        var config = Config(
            ("AzureWebJobsStorage:accountName", "moeprod"),
            ("AzureWebJobsStorage:clientId", clientId ?? ""),
            ("AzureWebJobsStorage:managedIdentityResourceId", resourceId ?? ""),
            ("AzureWebJobsStorage:credential", credential ?? ""));

        Assert.IsType(expected, StorageClients.Credential(config.GetSection("AzureWebJobsStorage")));
    }

    [Fact]
    public void Layout_Prefix_NamesEveryQueueAndContainer()
    {
        var layout = new StorageLayout("bank");

        Assert.Equal(["bank-gate", "bank-expert-0", "bank-expert-3", "bank-aggregate", "bank-jobs"], layout.WorkQueues([3, 0, 3]));
        Assert.Equal("bank-gate-poison", StorageLayout.Poison(layout.GateQueue));
        Assert.Equal(["bank-payloads", "bank-state", "bank-results", "bank-audit", "bank-auditlog", "bank-jobs", "bank-stats"], layout.Containers);
    }

    [Fact]
    public void DenialKey_AnAuditRecordKeyChainedByUtcHour()
    {
        var at = new DateTimeOffset(2025, 3, 9, 23, 30, 0, TimeSpan.FromHours(-2));
        var id = StorageLayout.DenialPrefix + new string('a', 32);

        Assert.True(DeepSeek.Pipeline.Http.InferenceApi.IsValidId(id));
        Assert.Equal(id + ".json", StorageLayout.AuditBlob(id));
        Assert.Equal("20250310T01-0", DeepSeek.Pipeline.Audit.AuditPartition.For(at, id, 1));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
