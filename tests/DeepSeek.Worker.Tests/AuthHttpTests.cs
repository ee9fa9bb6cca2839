using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DeepSeek.Pipeline.Security;
using DeepSeek.Pipeline.Storage;
using DeepSeek.Pipeline.Tests;
using DeepSeek.Pipeline.Tests.Security;
using Microsoft.Extensions.Options;

namespace DeepSeek.Worker.Tests;

/// <summary>Access control over real HTTP through the worker: tokens signed by real keys, the pipeline running behind.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuthHttpTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_AuthenticationNeitherConfiguredNorDisabled_RefusesWithHowTo()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var settings = RunningWorker.Settings(h);
        settings.Remove("Moe:Auth:Enabled");
        await using var app = WorkerHost.Build(["--urls", $"http://127.0.0.1:{DeepSeek.Pipeline.Local.AzuriteServer.FreePort()}"], settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Moe:Auth:Enabled=false", ex.Message);
    }

    [Fact]
    public async Task Routes_OverHttp_401Then403Then200AndTenantsApart()
    {
        using var authority = new TestAuthority();
        await using var h = await PipelineHarness.CreateAsync(azurite, authority.Settings());
        await using var worker = await RunningWorker.StartAsync(h, authority.Settings());
        var body = new { model = "demo", inputs = InferHttpTests.Rows(2, seed: 4), options = new { seed = 9UL } };

        var anonymous = await worker.Http.PostAsJsonAsync("/api/v1/infer", body);
        var expired = await SendAsync(worker, HttpMethod.Post, "/api/v1/infer", authority.Token(expiresIn: TimeSpan.FromMinutes(-5)), body);
        var noRole = await SendAsync(worker, HttpMethod.Post, "/api/v1/infer", authority.Token(roles: [MoeRoles.AuditRead]), body);
        var ok = await SendAsync(worker, HttpMethod.Post, "/api/v1/infer", authority.Token(tenant: "tenant-a", roles: [MoeRoles.InferenceInvoke]), body);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("invalid_token", expired.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);
        Assert.Equal("application/problem+json", noRole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var result = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        var id = result.RootElement.GetProperty("requestId").GetString()!;
        Assert.Equal(2, result.RootElement.GetProperty("outputs").GetArrayLength());

        var otherTenant = authority.Token(tenant: "tenant-b");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(worker, HttpMethod.Get, $"/api/v1/requests/{id}", otherTenant)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(worker, HttpMethod.Get, $"/api/v1/requests/{id}/audit", otherTenant)).StatusCode);
        var audit = await SendAsync(worker, HttpMethod.Get, $"/api/v1/requests/{id}/audit", authority.Token(tenant: "tenant-a", roles: [MoeRoles.AuditRead]));
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains("\"tenant\":\"tenant-a\"", await audit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await worker.Http.GetAsync("/api/v1/health")).StatusCode);
        // Five refusals, each a denial record appended to the audit chain.
        Assert.Equal(5, (await h.BlobsAsync(h.Layout.AuditContainer, StorageLayout.DenialPrefix)).Count);
        Assert.Equal(5, (await h.BlobsAsync(h.Layout.AuditLogContainer, StorageLayout.AuditChainPrefix)).Count(n => n.Contains("-" + StorageLayout.DenialPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Stats_OverHttp_ReleaseAdminOnlyReadWithAuditRead()
    {
        using var authority = new TestAuthority();
        await using var h = await PipelineHarness.CreateAsync(azurite, authority.Settings());
        await using var worker = await RunningWorker.StartAsync(h, authority.Settings());
        var day = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var auditor = authority.Token(tenant: "tenant-b", roles: [MoeRoles.AuditRead]);

        var byAuditor = await SendAsync(worker, HttpMethod.Post, $"/api/v1/stats/release?period={day}", auditor);
        var byAdmin = await SendAsync(worker, HttpMethod.Post, $"/api/v1/stats/release?period={day}", authority.Token(tenant: "tenant-ops", roles: [MoeRoles.Admin]));
        var readByAuditor = await SendAsync(worker, HttpMethod.Get, $"/api/v1/stats?period={day}", auditor);
        var readByInvoker = await SendAsync(worker, HttpMethod.Get, $"/api/v1/stats?period={day}", authority.Token(roles: [MoeRoles.InferenceInvoke]));
        var anonymous = await worker.Http.GetAsync($"/api/v1/stats?period={day}");

        Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readByAuditor.StatusCode);
        using var list = JsonDocument.Parse(await readByAuditor.Content.ReadAsStringAsync());
        Assert.Single(list.RootElement.GetProperty("releases").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, readByInvoker.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Jobs_OverHttp_OnlyTheSubmittingTenantReadsThem()
    {
        using var authority = new TestAuthority();
        await using var h = await PipelineHarness.CreateAsync(azurite, authority.Settings());
        await using var worker = await RunningWorker.StartAsync(h, authority.Settings());
        var submitter = authority.Token(tenant: "tenant-a", roles: [MoeRoles.JobsSubmit]);
        var lines = string.Join('\n', Enumerable.Range(0, 3).Select(i => JsonSerializer.Serialize(new { inputs = InferHttpTests.Rows(1, seed: i) })));

        var submitted = await SendAsync(worker, HttpMethod.Post, "/api/v1/jobs?model=demo", submitter, new StringContent(lines));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var jobId = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").GetString()!;
        string status = "";
        for (int i = 0; i < 300 && status != "succeeded"; i++)
        {
            await Task.Delay(100);
            status = JsonDocument.Parse(await (await SendAsync(worker, HttpMethod.Get, $"/api/v1/jobs/{jobId}", submitter)).Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()!;
        }

        Assert.Equal("succeeded", status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(worker, HttpMethod.Get, $"/api/v1/jobs/{jobId}", authority.Token(tenant: "tenant-b"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(worker, HttpMethod.Get, $"/api/v1/jobs/{jobId}/output", authority.Token(tenant: "tenant-b"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(worker, HttpMethod.Get, $"/api/v1/jobs/{jobId}/output", submitter)).StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(RunningWorker worker, HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                _ => JsonContent.Create(body),
            },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return worker.Http.SendAsync(request);
    }
}
