using System.Text.RegularExpressions;
using DeepSeek.Deployment.Tests.Arm;
using DeepSeek.Pipeline.Storage;
using static DeepSeek.Deployment.Tests.Bicep.BuiltInRoles;

namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>Least privilege: built-in roles only, each data role on one queue or one container, each identity only what its apps do.</summary>
[Collection(BicepCollection.Name)]
public sealed partial class RoleTests(CompiledTemplate compiled)
{
    [Fact]
    public void RoleIds_AreTheBuiltInAzureRoles()
    {
        var roleIds = (Dictionary<string, object?>)compiled.Evaluator!.Variable("roleIds")!;

        Assert.Equal(StorageQueueDataContributor, roleIds["storageQueueDataContributor"]);
        Assert.Equal(StorageQueueDataMessageSender, roleIds["storageQueueDataMessageSender"]);
        Assert.Equal(StorageQueueDataReader, roleIds["storageQueueDataReader"]);
        Assert.Equal(StorageBlobDataContributor, roleIds["storageBlobDataContributor"]);
        Assert.Equal(StorageBlobDataReader, roleIds["storageBlobDataReader"]);
        Assert.Equal(MonitoringMetricsPublisher, roleIds["monitoringMetricsPublisher"]);
        Assert.Equal(AcrPull, roleIds["acrPull"]);
        Assert.Equal(KeyVaultSecretsUser, roleIds["keyVaultSecretsUser"]);
        Assert.Equal(8, roleIds.Count);
    }

    [Fact]
    public void Template_NeverNamesABroadRole()
    {
        var guids = GuidPattern().Matches(compiled.Text).Select(m => m.Value.ToLowerInvariant()).ToHashSet();

        foreach (var (name, id) in Broad)
        {
            Assert.False(guids.Contains(id), $"{name} ({id}) is assigned somewhere.");
        }
    }

    [Fact]
    public void EveryRoleAssignment_IsScopedToOneQueueContainerRegistryOrComponent()
    {
        string[] narrow =
        [
            "Microsoft.Storage/storageAccounts/queueServices/queues",
            "Microsoft.Storage/storageAccounts/blobServices/containers",
            "Microsoft.ContainerRegistry/registries",
            "Microsoft.Insights/components",
            "Microsoft.KeyVault/vaults/secrets",
        ];

        var assignments = compiled.Main.AllOfType("Microsoft.Authorization/roleAssignments").ToList();

        Assert.NotEmpty(assignments);
        foreach (var (template, assignment) in assignments)
        {
            Assert.True(assignment.TryGetProperty("scope", out var scope), $"A role assignment in {template.Path} has no scope: it would apply to the whole resource group.");
            var text = scope.GetString()!;
            Assert.True(narrow.Any(t => text.StartsWith($"[resourceId('{t}'", StringComparison.Ordinal)), $"{template.Path}: scope {text}");
        }
    }

    [Fact]
    public void FrontIdentity_ProcessesItsOwnQueues_SendsToExperts_WritesTheContainers()
    {
        var layout = Layout.Of(compiled);
        var access = compiled.Module("frontAccess");

        var expectedQueues = Triggered(layout.GateQueue, layout.AggregateQueue, layout.JobsQueue)
            .Concat(Layout.Shards(compiled).Select(s => (layout.ExpertQueue(s), StorageQueueDataMessageSender)));
        Assert.Equal(Sorted(expectedQueues), Sorted(Grants(access, "queueRoles", "queue")));
        var expectedContainers = layout.Containers.Concat(HostContainers).Select(c => (c, StorageBlobDataContributor));
        Assert.Equal(Sorted(expectedContainers), Sorted(Grants(access, "containerRoles", "container")));
    }

    [Fact]
    public void ExpertsIdentity_ProcessesShardQueues_SendsToAggregate_OnlyReadsPayloads()
    {
        var layout = Layout.Of(compiled);
        var access = compiled.Module("expertsAccess");

        var expectedQueues = Triggered([.. Layout.Shards(compiled).Select(layout.ExpertQueue)])
            .Append((layout.AggregateQueue, StorageQueueDataMessageSender));
        Assert.Equal(Sorted(expectedQueues), Sorted(Grants(access, "queueRoles", "queue")));
        // The poison handler appends audit records to the chain (-auditlog); statistics are the front's only.
        var expectedContainers = new[] { layout.StateContainer, layout.ResultsContainer, layout.AuditContainer, layout.AuditLogContainer, layout.JobsContainer }
            .Concat(HostContainers).Select(c => (c, StorageBlobDataContributor))
            .Append((layout.PayloadsContainer, StorageBlobDataReader));
        Assert.Equal(Sorted(expectedContainers), Sorted(Grants(access, "containerRoles", "container")));
    }

    [Fact]
    public void ScalerIdentity_OnlyReadsQueueLengths()
    {
        var layout = Layout.Of(compiled);
        var access = compiled.Module("scalerAccess");

        var queues = layout.WorkQueues(Layout.Shards(compiled)).SelectMany(q => new[] { q, StorageLayout.Poison(q) });
        Assert.Equal(Sorted(queues.Select(q => (q, StorageQueueDataReader))), Sorted(Grants(access, "queueRoles", "queue")));
        Assert.Empty(Grants(access, "containerRoles", "container"));
    }

    [Fact]
    public void AppIdentities_PublishTelemetry_AndPullImages_OnTheirOwnResourcesOnly()
    {
        foreach (var (module, role, principals) in new[] { ("monitoring", MonitoringMetricsPublisher, "publisherPrincipalIds"), ("registry", AcrPull, "pullPrincipalIds") })
        {
            var evaluator = compiled.Module(module);
            var assignment = compiled.Main.Module(module).OfType("Microsoft.Authorization/roleAssignments").Single();

            var roles = evaluator.Each(assignment, e => ArmEvaluator.ToText(e.Value(assignment.GetProperty("properties").GetProperty("roleDefinitionId"))));

            Assert.All(roles, r => Assert.EndsWith(role + ")", r, StringComparison.Ordinal));
            var assigned = ((List<object?>)evaluator.Parameter(principals)!).Select(Output).ToArray();
            Assert.Equal(["frontPrincipalId", "expertsPrincipalId"], assigned);
        }
    }

    internal static IEnumerable<(string, string)> Triggered(params string[] queues) =>
        queues.SelectMany(q => new[] { (q, StorageQueueDataContributor), (StorageLayout.Poison(q), StorageQueueDataContributor) });

    internal static List<(string Name, string Role)> Grants(ArmEvaluator access, string parameter, string key) =>
        [.. ((List<object?>)access.Parameter(parameter)!).Cast<Dictionary<string, object?>>().Select(g => ((string)g[key]!, (string)g["role"]!))];

    /// <summary>The name of the module output a symbolic value comes from (reference('identities').outputs.NAME.value).</summary>
    internal static string Output(object? value) => OutputPattern().Match(ArmEvaluator.ToText(value)).Groups[1].Value;

    private static readonly string[] HostContainers = ["azure-webjobs-hosts", "azure-webjobs-secrets"];

    private static List<(string, string)> Sorted(IEnumerable<(string, string)> grants) => [.. grants.Order()];

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"\.outputs\.([A-Za-z]+)\.value")]
    private static partial Regex OutputPattern();
}
