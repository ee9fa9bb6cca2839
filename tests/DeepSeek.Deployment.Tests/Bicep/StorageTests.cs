using DeepSeek.Deployment.Tests.Arm;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>The storage account: Entra ID only, TLS 1.2, private blobs, the layout's queues and containers, immutable audit records.</summary>
[Collection(BicepCollection.Name)]
public sealed class StorageTests(CompiledTemplate compiled)
{
    private ArmTemplate Storage => compiled.Main.Module("storage");

    [Fact]
    public void StorageAccount_AcceptsNeitherKeysNorPublicBlobs_AndRequiresTls12()
    {
        var account = Storage.OfType("Microsoft.Storage/storageAccounts").Single().GetProperty("properties");

        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.Equal("TLS1_2", account.GetProperty("minimumTlsVersion").GetString());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(account.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.True(account.GetProperty("defaultToOAuthAuthentication").GetBoolean());
        var containers = Storage.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Where(c => !IsExisting(c)).Single();
        Assert.Equal("None", containers.GetProperty("properties").GetProperty("publicAccess").GetString());
    }

    [Fact]
    public void Storage_CreatesEveryQueueOfTheLayout_WithItsPoisonQueue()
    {
        var storage = compiled.Module("storage");
        var queues = Storage.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Single();

        var created = storage.Each(queues, e => LastSegment(e.Value(queues.GetProperty("name"))));

        var expected = Layout.Of(compiled).WorkQueues(Layout.Shards(compiled)).SelectMany(q => new[] { q, StorageLayout.Poison(q) });
        Assert.Equal(expected.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Storage_CreatesEveryContainerOfTheLayout_AndTheHostsContainers()
    {
        var storage = compiled.Module("storage");
        var containers = Storage.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Single(c => !IsExisting(c));

        var created = storage.Each(containers, e => LastSegment(e.Value(containers.GetProperty("name"))));

        var expected = Layout.Of(compiled).Containers.Concat(["azure-webjobs-hosts", "azure-webjobs-secrets"]);
        Assert.Equal(expected.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AuditContainer_KeepsRecordsImmutableForTheRetentionParameter()
    {
        var policy = Storage.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").Single();
        var main = compiled.With(("auditRetentionDays", 30L));
        var storage = main.Module(compiled.Main.Resource("storage"));

        var segments = ((string)storage.Value(policy.GetProperty("name"))!).Split('/');
        var properties = (Dictionary<string, object?>)storage.Value(policy.GetProperty("properties"))!;

        Assert.Equal(Layout.Of(compiled).AuditContainer, segments[^2]);
        Assert.Equal(30L, properties["immutabilityPeriodSinceCreationInDays"]);
        Assert.Equal(false, properties["allowProtectedAppendWrites"]);
        Assert.Equal(365L, compiled.Evaluator!.Parameter("auditRetentionDays"));
        Assert.Equal(1, compiled.Main.Parameter("auditRetentionDays").GetProperty("minValue").GetInt32());
    }

    private static bool IsExisting(System.Text.Json.JsonElement resource) =>
        resource.TryGetProperty("existing", out var existing) && existing.GetBoolean();

    private static string LastSegment(object? name) => ArmEvaluator.ToText(name).Split('/')[^1];
}
