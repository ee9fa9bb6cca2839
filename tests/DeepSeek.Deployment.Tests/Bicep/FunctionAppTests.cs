using System.Text.RegularExpressions;
using DeepSeek.Deployment.Tests.Arm;
using DeepSeek.Pipeline.Storage;
using static DeepSeek.Deployment.Tests.Bicep.BuiltInRoles;

namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>
/// The function apps: Functions on Container Apps, identity-based storage settings only, the front app and one
/// app per expert shard on the serverless GPU profile, each trigger able to use its queue.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed partial class FunctionAppTests(CompiledTemplate compiled)
{
    private const string Kind = "functionapp,linux,container,azurecontainerapps";

    [Fact]
    public void EveryApp_IsAFunctionAppOnContainerApps_WithAUserAssignedIdentity()
    {
        var sites = compiled.Main.AllOfType("Microsoft.Web/sites").ToList();

        Assert.Equal(["front", "experts"], sites.Select(s => s.Template.Path.Split('/')[^1]).ToArray());
        foreach (var site in sites.Select(s => s.Resource))
        {
            AssertFunctionAppOnContainerApps(site);
        }
    }

    private static void AssertFunctionAppOnContainerApps(System.Text.Json.JsonElement site)
    {
        Assert.Equal(Kind, site.GetProperty("kind").GetString());
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var properties = site.GetProperty("properties");
        Assert.Equal("[parameters('environmentId')]", properties.GetProperty("managedEnvironmentId").GetString());
        Assert.Equal("[parameters('workloadProfileName')]", properties.GetProperty("workloadProfileName").GetString());
        Assert.Equal("[parameters('minReplicas')]", properties.GetProperty("siteConfig").GetProperty("minimumElasticInstanceCount").GetString());
        Assert.Equal("[parameters('maxReplicas')]", properties.GetProperty("siteConfig").GetProperty("functionAppScaleLimit").GetString());
        Assert.True(properties.TryGetProperty("resourceConfig", out _));
    }

    [Fact]
    public void EveryApp_ReachesStorageWithItsIdentity_AndNoConnectionString()
    {
        foreach (var (name, app) in Apps())
        {
            var settings = Settings(app);
            var clientId = ArmEvaluator.ToText(app.Parameter("identityClientId"));

            Assert.False(settings.ContainsKey("AzureWebJobsStorage"), $"{name}: AzureWebJobsStorage would be a connection string.");
            Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
            Assert.Equal(clientId, ArmEvaluator.ToText(settings["AzureWebJobsStorage__clientId"]));
            Assert.Equal("reference(storage).outputs.name.value", ArmEvaluator.ToText(settings["AzureWebJobsStorage__accountName"]));
            Assert.Equal($"ClientId={clientId};Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
            // Callers: Entra ID bearer tokens of the deployment's tenant for the API's audience (README, "Security").
            Assert.Equal("tenant().tenantId", ArmEvaluator.ToText(settings["Moe__Auth__TenantId"]));
            Assert.Equal(CompiledTemplate.AuthAudience, settings["Moe__Auth__Audience"]);
            var named = settings.Keys.Where(k => k.Contains("connection", StringComparison.OrdinalIgnoreCase) || k.Contains("key", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"], named.ToArray());
        }
    }

    [Fact]
    public void EveryFunction_RunsInOneKindOfApp_AndEveryAppValidatesItsQueueSettings()
    {
        var layout = Layout.Of(compiled);
        var all = FunctionsMetadata.Functions.Keys.ToHashSet();
        var apps = Apps().ToList();

        var front = Enabled(apps[0].App);
        Assert.DoesNotContain("Expert", front);
        foreach (var (_, expert) in apps.Skip(1))
        {
            Assert.Equal(["Expert", "ExpertPoison"], Enabled(expert).Order(StringComparer.Ordinal).ToArray());
        }

        Assert.Equal(all.Order(StringComparer.Ordinal), front.Union(["Expert", "ExpertPoison"]).Order(StringComparer.Ordinal));
        foreach (var (name, app) in apps)
        {
            var settings = Settings(app);
            Assert.Equal(layout.GateQueue, settings["MoeGateQueue"]);
            Assert.Equal(layout.AggregateQueue, settings["MoeAggregateQueue"]);
            Assert.Equal(layout.JobsQueue, settings["MoeJobsQueue"]);
            Assert.Equal(layout.Prefix, settings["Pipeline__Prefix"]);
            Assert.StartsWith(layout.Prefix + "-expert-", (string)settings["MoeExpertQueue"]!, StringComparison.Ordinal);
            Assert.True(settings.ContainsKey("Pipeline__Backend"), name);
        }
    }

    [Fact]
    public void EveryEnabledQueueTrigger_MayProcessItsQueue_WithTheAppsIdentity()
    {
        foreach (var (name, app) in Apps())
        {
            var settings = Settings(app);
            var identity = Output(app.Parameter("identityClientId")).Replace("ClientId", "", StringComparison.Ordinal);
            var access = compiled.Module(identity + "Access");
            var grants = RoleTests.Grants(access, "queueRoles", "queue");
            Assert.Equal(identity + "PrincipalId", Output(access.Parameter("principalId")));

            foreach (var function in Enabled(app).Where(f => FunctionsMetadata.Functions[f] is not null))
            {
                var queue = SettingReference().Replace(FunctionsMetadata.Functions[function]!, m => (string)settings[m.Groups[1].Value]!);
                Assert.True(grants.Contains((queue, StorageQueueDataContributor)), $"{name}: {function} triggers on {queue}, but its identity may not process it.");
            }
        }
    }

    [Fact]
    public void ExpertApps_RunOnTheGpuProfile_OneShardEach_WithTheirReplicaBounds()
    {
        var layout = Layout.Of(compiled);
        var (gpuName, gpuType) = GpuProfile(compiled.Evaluator!);
        var shards = (List<object?>)compiled.Evaluator!.Parameter("expertShards")!;

        Assert.Equal("Consumption-GPU-NC8as-T4", gpuType);
        for (int i = 0; i < shards.Count; i++)
        {
            var shard = (Dictionary<string, object?>)shards[i]!;
            var expert = compiled.Module("experts", i);
            Assert.Equal(gpuName, expert.Parameter("workloadProfileName"));
            Assert.Equal(8L, expert.Parameter("cpu"));
            Assert.Equal("56Gi", expert.Parameter("memory"));
            Assert.Equal(shard["minReplicas"], expert.Parameter("minReplicas"));
            Assert.Equal(shard["maxReplicas"], expert.Parameter("maxReplicas"));
            Assert.Equal(layout.ExpertQueue((int)(long)shard["shard"]!), Settings(expert)["MoeExpertQueue"]);
            Assert.Equal("onnx-cuda", Settings(expert)["Pipeline__Backend"]);
        }

        var front = compiled.Module("front");
        Assert.Equal("Consumption", front.Parameter("workloadProfileName"));
        Assert.Equal("onnx-cpu", Settings(front)["Pipeline__Backend"]);
    }

    [Fact]
    public void GpuProfileParameter_OffersT4AndA100_AndSizesTheExpertReplicasForIt()
    {
        const string A100 = "Consumption-GPU-NC24-A100";
        var allowed = compiled.Main.Parameter("gpuProfileType").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()!);
        var main = compiled.With(("gpuProfileType", A100));

        var expert = main.Module(compiled.Main.Resource("experts"), 0);

        Assert.Equal(["Consumption-GPU-NC24-A100", "Consumption-GPU-NC8as-T4"], allowed.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(A100, GpuProfile(main).Type);
        Assert.Equal(24L, expert.Parameter("cpu"));
        Assert.Equal("220Gi", expert.Parameter("memory"));
    }

    private (string Name, string Type) GpuProfile(ArmEvaluator main)
    {
        var environment = main.Module(compiled.Main.Resource("environment"));
        var resource = compiled.Main.Module("environment").OfType("Microsoft.App/managedEnvironments").Single();
        var properties = (Dictionary<string, object?>)environment.Value(resource.GetProperty("properties"))!;
        var gpu = ((List<object?>)properties["workloadProfiles"]!).Cast<Dictionary<string, object?>>()
            .Single(p => !Equals(p["workloadProfileType"], "Consumption"));
        Assert.Equal(environment.Parameter("gpuProfileName"), gpu["name"]);
        return ((string)gpu["name"]!, (string)gpu["workloadProfileType"]!);
    }

    private IEnumerable<(string Name, ArmEvaluator App)> Apps()
    {
        yield return ("front", compiled.Module("front"));
        var shards = Layout.Shards(compiled);
        for (int i = 0; i < shards.Count; i++)
        {
            yield return ($"expert {shards[i]}", compiled.Module("experts", i));
        }
    }

    private static Dictionary<string, object?> Settings(ArmEvaluator app) => (Dictionary<string, object?>)app.Variable("allSettings")!;

    private static HashSet<string> Enabled(ArmEvaluator app)
    {
        var disabled = Settings(app).Where(s => s.Key.StartsWith("AzureWebJobs.", StringComparison.Ordinal) && s.Key.EndsWith(".Disabled", StringComparison.Ordinal) && (string?)s.Value == "true")
            .Select(s => s.Key["AzureWebJobs.".Length..^".Disabled".Length]).ToHashSet();
        Assert.Subset(FunctionsMetadata.Functions.Keys.ToHashSet(), disabled);
        return FunctionsMetadata.Functions.Keys.Where(f => !disabled.Contains(f)).ToHashSet();
    }

    private static string Output(object? value) => RoleTests.Output(value);

    [GeneratedRegex("%([A-Za-z]+)%")]
    private static partial Regex SettingReference();
}
