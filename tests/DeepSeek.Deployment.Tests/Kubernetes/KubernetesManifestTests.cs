using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeepSeek.Moe.Demo;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Worker;
using static DeepSeek.Deployment.Tests.Kubernetes.KubernetesManifests;

namespace DeepSeek.Deployment.Tests.Kubernetes;

/// <summary>infra/kubernetes: one GPU Deployment per expert shard, a KEDA scaler with workload identity on each queue.</summary>
public sealed class KubernetesManifestTests
{
    private const string ExpertComponent = "expert";
    private static readonly StorageLayout s_layout = new(new PipelineOptions().Prefix);

    [Fact]
    public void Kustomization_ListsEveryManifest_AndEachParses()
    {
        var files = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        Assert.Equal(files.Order(StringComparer.Ordinal), Resources.Order(StringComparer.Ordinal));
        Assert.All(Documents, d =>
        {
            Assert.False(string.IsNullOrEmpty(d.Text("apiVersion")));
            Assert.False(string.IsNullOrEmpty(d.Text("kind")));
            Assert.False(string.IsNullOrEmpty(d.Text("metadata", "name")));
        });
        Assert.DoesNotContain(Documents, d => d.Text("kind") == "Secret");
    }

    [Fact]
    public void EveryExpertShard_RequestsAGpu_AndScalesOnItsOwnQueue()
    {
        var experts = OfKind("Deployment").Where(d => d.Text("metadata", "labels", "app.kubernetes.io/component") == ExpertComponent).ToList();

        Assert.NotEmpty(experts);
        foreach (var deployment in experts)
        {
            var name = deployment.Text("metadata", "name")!;
            var env = Env(deployment);
            int shard = int.Parse(env[$"{WorkerOptions.SectionName}__{nameof(WorkerOptions.Shards)}__0"]!, CultureInfo.InvariantCulture);
            Assert.Equal("false", env[$"{WorkerOptions.SectionName}__{nameof(WorkerOptions.Front)}"]);
            Assert.Equal("onnx-cuda", env["Pipeline__Backend"]);
            var gpus = Container(deployment).Text("resources", "limits", "nvidia.com/gpu") ?? Container(deployment).At("resources", "limits", "nvidia.com/gpu")?.ToString();
            Assert.True(int.TryParse(gpus, out int count) && count >= 1, $"{name} has no nvidia.com/gpu limit.");

            var queues = QueuesScaling(name);
            Assert.Equal([s_layout.ExpertQueue(shard), StorageLayout.Poison(s_layout.ExpertQueue(shard))], queues.Order(StringComparer.Ordinal).ToArray());
        }

        var shards = experts.Select(d => int.Parse(Env(d)["Worker__Shards__0"]!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(shards.Count, shards.Distinct().Count());
    }

    [Fact]
    public void ExpertShards_AreTheShardsOfTheDemoModel_AndOfTheBicepParameters()
    {
        var manifests = OfKind("Deployment").Where(d => d.Text("metadata", "labels", "app.kubernetes.io/component") == ExpertComponent)
            .Select(d => int.Parse(Env(d)["Worker__Shards__0"]!, CultureInfo.InvariantCulture)).Order().ToArray();
        using var parameters = JsonDocument.Parse(Repository.Read("bicep", "main.parameters.json"));
        var bicep = parameters.RootElement.GetProperty("parameters").GetProperty("expertShards").GetProperty("value")
            .EnumerateArray().Select(s => s.GetProperty("shard").GetInt32()).Order().ToArray();

        Assert.Equal(Enumerable.Range(0, new DemoBundleOptions().Shards).ToArray(), manifests);
        Assert.Equal(manifests, bicep);
    }

    [Fact]
    public void Front_RunsWithoutAGpu_AndScalesOnGateAggregateAndJobs()
    {
        var front = Named("Deployment", "deepseek-front");

        Assert.Equal("true", Env(front)["Worker__Front"]);
        Assert.Null(Container(front).At("resources", "limits", "nvidia.com/gpu"));
        var expected = new[] { s_layout.GateQueue, s_layout.AggregateQueue, s_layout.JobsQueue }.SelectMany(q => new[] { q, StorageLayout.Poison(q) });
        Assert.Equal(expected.Order(StringComparer.Ordinal), QueuesScaling("deepseek-front").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryScaler_ReadsItsQueueWithWorkloadIdentity_NeverAConnectionString()
    {
        var authentications = OfKind("TriggerAuthentication").ToDictionary(a => a.Text("metadata", "name")!, StringComparer.Ordinal);
        var triggers = OfKind("ScaledObject").SelectMany(s => s.List("spec", "triggers")).ToList();

        Assert.NotEmpty(triggers);
        foreach (var trigger in triggers)
        {
            Assert.Equal("azure-queue", trigger.Text("type"));
            var metadata = (Dictionary<string, object?>)trigger.At("metadata")!;
            Assert.DoesNotContain(metadata.Keys, k => k.StartsWith("connection", StringComparison.OrdinalIgnoreCase));
            Assert.False(string.IsNullOrEmpty(metadata.Text("accountName")));
            var authentication = authentications[trigger.Text("authenticationRef", "name")!];
            Assert.Equal("azure-workload", authentication.Text("spec", "podIdentity", "provider"));
            Assert.False(string.IsNullOrEmpty(authentication.Text("spec", "podIdentity", "identityId")));
        }
    }

    [Fact]
    public void EveryWorker_UsesWorkloadIdentity_AndTheIdentityBasedStorageSettings()
    {
        var accounts = OfKind("ServiceAccount").ToDictionary(a => a.Text("metadata", "name")!, StringComparer.Ordinal);
        var settings = Kustomization.List("configMapGenerator").Single(g => g.Text("name") == "deepseek-settings")
            .List("literals").Cast<string>().Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

        foreach (var deployment in OfKind("Deployment"))
        {
            var account = accounts[deployment.Text("spec", "template", "spec", "serviceAccountName")!];
            Assert.NotNull(account.Text("metadata", "annotations", "azure.workload.identity/client-id"));
            Assert.Equal("true", deployment.Text("spec", "template", "metadata", "labels", "azure.workload.identity/use"));
            Assert.Equal("deepseek-settings", Container(deployment).List("envFrom").Single().Text("configMapRef", "name"));
        }

        Assert.Equal(new PipelineOptions().Prefix, settings["Pipeline__Prefix"]);
        Assert.Equal("false", settings[$"{WorkerOptions.SectionName}__{nameof(WorkerOptions.CreateStorage)}"]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith(StorageClients.DefaultConnection, StringComparison.Ordinal) && !k.Contains("__", StringComparison.Ordinal));
    }

    [Fact]
    public void AuditKeys_ComeFromTheSecret_NeverAsLiterals()
    {
        foreach (var deployment in OfKind("Deployment"))
        {
            var keyed = Container(deployment).List("env").Where(e => e.Text("name")!.EndsWith("Key", StringComparison.Ordinal)).ToList();
            Assert.All(keyed, e =>
            {
                Assert.Null(e.Text("value"));
                Assert.Equal("deepseek-audit-keys", e.Text("valueFrom", "secretKeyRef", "name"));
            });
            var names = keyed.Select(e => e.Text("name")).ToList();
            Assert.Contains("Privacy__PseudonymKey", names);
            Assert.Equal(deployment.Text("metadata", "name") == "deepseek-front", names.Contains("Audit__Seal__Key"));
        }
    }

    [Fact]
    public void Replacements_FillEveryPlaceholderFromDeploymentEnv()
    {
        var env = File.ReadAllLines(Path.Combine(Folder, "deployment.env")).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        var sources = Kustomization.List("replacements").Select(r => r.Text("source", "fieldPath")!["data.".Length..]).ToList();

        Assert.Equal(env.Order(StringComparer.Ordinal), sources.Order(StringComparer.Ordinal));
        var rendered = Render();
        if (rendered is null)
        {
            return; // kubectl is not installed: the placeholders are checked against deployment.env only.
        }

        foreach (var placeholder in env)
        {
            Assert.DoesNotContain($": {placeholder}\n", rendered, StringComparison.Ordinal);
        }
    }

    private static List<string> QueuesScaling(string deployment)
    {
        var scaler = OfKind("ScaledObject").Single(s => s.Text("spec", "scaleTargetRef", "name") == deployment);
        return [.. scaler.List("spec", "triggers").Select(t => t.Text("metadata", "queueName")!)];
    }

    private static string? Render()
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
