using System.Text.Json;

namespace DeepSeek.Functions.Tests;

/// <summary>What the Functions host will index: the generated functions.metadata and host.json of the built app.</summary>
public sealed class FunctionsMetadataTests
{
    private const string Storage = "AzureWebJobsStorage";

    // name, trigger, then the queue (queue triggers) or method, route and auth level (HTTP triggers).
    private static readonly string[] s_contract =
    [
        $"Gate queueTrigger %MoeGateQueue% {Storage}",
        $"Expert queueTrigger %MoeExpertQueue% {Storage}",
        $"Aggregate queueTrigger %MoeAggregateQueue% {Storage}",
        $"Jobs queueTrigger %MoeJobsQueue% {Storage}",
        $"GatePoison queueTrigger %MoeGateQueue%-poison {Storage}",
        $"ExpertPoison queueTrigger %MoeExpertQueue%-poison {Storage}",
        $"AggregatePoison queueTrigger %MoeAggregateQueue%-poison {Storage}",
        $"JobsPoison queueTrigger %MoeJobsQueue%-poison {Storage}",
        "Infer httpTrigger post v1/infer Function",
        "GetRequest httpTrigger get v1/requests/{id} Function",
        "GetAudit httpTrigger get v1/requests/{id}/audit Function",
        "SubmitJob httpTrigger post v1/jobs Function",
        "GetJob httpTrigger get v1/jobs/{id} Function",
        "GetJobOutput httpTrigger get v1/jobs/{id}/output Function",
        "ReleaseStats httpTrigger post v1/stats/release Function",
        "GetStats httpTrigger get v1/stats Function",
        "Health httpTrigger get v1/health Anonymous",
        "SealAudit timerTrigger %AuditSealSchedule%",
    ];

    [Fact]
    public void FunctionsMetadata_EveryFunction_MatchesTheContract()
    {
        var functions = BuiltApp.ReadJson("functions.metadata").EnumerateArray().ToList();

        var actual = functions.Select(Describe).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(s_contract.Order(StringComparer.Ordinal).ToArray(), actual);
    }

    [Fact]
    public void FunctionsMetadata_EveryEntryPoint_IsAMethodOfTheApp()
    {
        foreach (var function in BuiltApp.ReadJson("functions.metadata").EnumerateArray())
        {
            Assert.Equal("DeepSeek.Functions.dll", function.GetProperty("scriptFile").GetString());
            var entryPoint = function.GetProperty("entryPoint").GetString()!;
            var type = typeof(DeepSeek.Functions.Queues.GateFunction).Assembly.GetType(entryPoint[..entryPoint.LastIndexOf('.')], throwOnError: true)!;
            Assert.NotNull(type.GetMethod(entryPoint[(entryPoint.LastIndexOf('.') + 1)..]));
        }
    }

    [Fact]
    public void HostJson_Queues_UseBase64LikeThePipelineAndPoisonAfterFiveTries()
    {
        var host = BuiltApp.ReadJson("host.json");
        var queues = host.GetProperty("extensions").GetProperty("queues");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.True(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(2));
    }

    private static string Describe(JsonElement function)
    {
        var name = function.GetProperty("name").GetString();
        var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
        var trigger = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "In");
        var type = trigger.GetProperty("type").GetString();
        if (type == "queueTrigger")
        {
            Assert.Single(bindings);
            Assert.Equal("String", trigger.GetProperty("dataType").GetString());
            return $"{name} {type} {trigger.GetProperty("queueName").GetString()} {trigger.GetProperty("connection").GetString()}";
        }

        if (type == "timerTrigger")
        {
            Assert.Single(bindings);
            return $"{name} {type} {trigger.GetProperty("schedule").GetString()}";
        }

        Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
        var methods = string.Join(',', trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        return $"{name} {type} {methods} {trigger.GetProperty("route").GetString()} {trigger.GetProperty("authLevel").GetString()}";
    }
}
