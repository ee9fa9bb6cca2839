using System.Text.Json;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Http;
using DeepSeek.Pipeline.Privacy;
using DeepSeek.Pipeline.Security;
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

    public static async Task<SecuredHarness> CreateAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.Logging.ILoggingBuilder>? logging = null)
    {
        var authority = new TestAuthority();
        var all = authority.Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new SecuredHarness(await PipelineHarness.CreateAsync(azurite, all, logging: logging), authority);
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

    /// <summary>The pseudonym records store for a caller id (the harness host's key).</summary>
    public string Pseudonym(string caller) => Harness.Get<Pseudonymizer>().Caller(caller)!;

    /// <summary>
    /// Every denial record stored so far, oldest first, read through the audit chain: each must sit in the chain index,
    /// hash to its stated hash and name its own place; none may be stored outside the chain.
    /// </summary>
    public async Task<List<JsonElement>> DenialsAsync()
    {
        var storage = Harness.Storage;
        var records = new List<JsonElement>();
        foreach (var entry in await storage.ListAsync(storage.Layout.AuditLogContainer, StorageLayout.AuditChainPrefix, default))
        {
            var key = entry[(entry.LastIndexOf('/') + 12)..];
            if (!key.StartsWith(StorageLayout.DenialPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            Assert.Matches("^deny-[0-9a-f]{32}$", key);
            var data = (await storage.TryReadAsync(storage.Layout.AuditContainer, StorageLayout.AuditBlob(key), default))!;
            Assert.True(AuditRecordFormat.TryCheck(data.ToMemory().Span, out _, out _));
            var record = JsonDocument.Parse(data.ToString()).RootElement.Clone();
            Assert.Equal(key, record.GetProperty("id").GetString());
            Assert.Equal(key, record.GetProperty("chain").GetProperty("key").GetString());
            Assert.Equal(DenialRecord.CurrentSchemaVersion, record.GetProperty("schemaVersion").GetInt32());
            records.Add(record);
        }

        Assert.Equal(records.Count, (await storage.ListAsync(storage.Layout.AuditContainer, StorageLayout.DenialPrefix, default)).Count);
        Assert.Empty(await storage.ListAsync(storage.Layout.AuditContainer, "denials/", default));
        return [.. records.OrderBy(r => r.GetProperty("at").GetDateTimeOffset())];
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        Authority.Dispose();
    }
}
