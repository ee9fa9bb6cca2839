using System.Text.Json;
using DeepSeek.Pipeline.Http;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests.Security;

namespace DeepSeek.Pipeline.Tests.Http;

/// <summary>A harness with authentication on (a <see cref="TestAuthority"/>), and the calls the access tests make through the handlers.</summary>
public sealed class SecuredHarness : IAsyncDisposable
{
    private SecuredHarness(PipelineHarness harness, TestAuthority authority)
    {
        Harness = harness;
        Authority = authority;
    }

    public PipelineHarness Harness { get; }

    public TestAuthority Authority { get; }

    public static async Task<SecuredHarness> CreateAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null)
    {
        var authority = new TestAuthority();
        var all = authority.Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new SecuredHarness(await PipelineHarness.CreateAsync(azurite, all), authority);
    }

    public static string InferBody(int rows = 2, int seed = 1)
    {
        var rng = new Random(seed);
        var inputs = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, PipelineHarness.DModel).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
        return JsonSerializer.Serialize(new { model = "demo", inputs, options = new { seed = 5 } });
    }

    public static string JobBody(int lines = 3, string? lineModel = null)
    {
        var rng = new Random(lines);
        return string.Concat(Enumerable.Range(0, lines).Select(i => JsonSerializer.Serialize(new
        {
            inputs = new[] { Enumerable.Range(0, PipelineHarness.DModel).Select(_ => rng.NextDouble()).ToArray() },
            model = i == lines - 1 ? lineModel : null,
        }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }) + "\n"));
    }

    /// <summary>Submits an async request as the token's caller and runs the pipeline; returns the request id.</summary>
    public async Task<string> InferAndRunAsync(string token)
    {
        var call = await HandlerCall.RunAsync(Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", token, InferBody(), "?mode=async");
        Assert.Equal(202, call.Status);
        await Harness.DrainAsync();
        return call.Json.GetProperty("requestId").GetString()!;
    }

    public Task<HandlerCall> GetRequestAsync(string id, string? token) =>
        HandlerCall.RunAsync(Harness, c => MoeHttpHandlers.GetRequestAsync(c, id), "GET", $"/api/v1/requests/{id}", token);

    public Task<HandlerCall> GetAuditAsync(string id, string? token) =>
        HandlerCall.RunAsync(Harness, c => MoeHttpHandlers.GetAuditAsync(c, id), "GET", $"/api/v1/requests/{id}/audit", token);

    /// <summary>Every denial record stored so far, oldest first.</summary>
    public async Task<List<JsonElement>> DenialsAsync()
    {
        var storage = Harness.Storage;
        var names = await storage.ListAsync(storage.Layout.AuditContainer, StorageLayout.DenialPrefix, default);
        var records = new List<JsonElement>();
        foreach (var name in names)
        {
            Assert.Matches(@"^denials/\d{4}/\d{2}/\d{2}/\d{2}/deny-[0-9a-f]{32}\.json$", name);
            records.Add(JsonDocument.Parse((await storage.TryReadAsync(storage.Layout.AuditContainer, name, default))!.ToString()).RootElement.Clone());
        }

        return [.. records.OrderBy(r => r.GetProperty("at").GetDateTimeOffset())];
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        Authority.Dispose();
    }
}
