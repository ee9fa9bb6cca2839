using DeepSeek.Moe.Demo;
using Microsoft.Extensions.Configuration;

namespace DeepSeek.Worker.Tests;

/// <summary>Which triggers a worker runs: every stage and shard by default, or the front only, or chosen shards (Kubernetes).</summary>
public sealed class WorkerSettingsTests : IDisposable
{
    private readonly string _models = Path.Combine(Path.GetTempPath(), "deepseek-worker-settings-" + Guid.NewGuid().ToString("N"));

    public WorkerSettingsTests() =>
        DemoBundle.Create(Path.Combine(_models, "demo"), new DemoBundleOptions { DModel = 8, DFf = 16, Experts = 6, TopK = 2, Shards = 3 });

    [Fact]
    public void For_NoWorkerSection_ServesTheFrontAndEveryShardOfTheModels()
    {
        var settings = WorkerSettings.For(Configuration());

        Assert.Equal("false", settings[WorkerSettings.FrontDisabled]);
        Assert.Equal("false false false true", string.Join(' ', Enumerable.Range(0, 4).Select(s => settings[WorkerSettings.ExpertDisabled(s)])));
    }

    [Fact]
    public void For_OneShardWithoutTheFront_EnablesOnlyThatShardsTriggers()
    {
        var settings = WorkerSettings.For(Configuration(("Worker:Front", "false"), ("Worker:Shards:0", "1")));

        Assert.Equal("true", settings[WorkerSettings.FrontDisabled]);
        Assert.Equal("true false true", string.Join(' ', Enumerable.Range(0, 3).Select(s => settings[WorkerSettings.ExpertDisabled(s)])));
        Assert.Equal("moe-expert-1", settings[WorkerSettings.ExpertQueue(1)]);
    }

    [Fact]
    public void For_AShardNoModelUses_ThrowsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WorkerSettings.For(Configuration(("Worker:Shards:0", "5"))));

        Assert.Contains("Worker:Shards names shards 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("0, 1, 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrontTriggers_AreSwitchedByTheFrontSetting_ExpertTriggersByTheirShard()
    {
        var methods = typeof(QueueFunctions).GetMethods().Where(m => m.DeclaringType == typeof(QueueFunctions)).ToList();

        foreach (var method in methods)
        {
            var disable = method.GetCustomAttributes(typeof(Microsoft.Azure.WebJobs.DisableAttribute), false).Cast<Microsoft.Azure.WebJobs.DisableAttribute>().SingleOrDefault();
            Assert.NotNull(disable);
            var expected = method.Name.StartsWith("Expert", StringComparison.Ordinal)
                ? WorkerSettings.ExpertDisabled(int.Parse(method.Name["Expert".Length..].Replace("Poison", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))
                : WorkerSettings.FrontDisabled;
            Assert.Equal(expected, disable.SettingName);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_models, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Append(new("Pipeline:ModelsPath", _models))).Build();
}
