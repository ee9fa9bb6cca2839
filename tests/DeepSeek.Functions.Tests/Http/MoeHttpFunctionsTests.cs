using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Security;
using DeepSeek.Pipeline.Tests;
using DeepSeek.Pipeline.Tests.Security;
using Microsoft.AspNetCore.Mvc;

namespace DeepSeek.Functions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class MoeHttpFunctionsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Infer_AsyncThenQueueFunctionsRun_StatusAndAuditReturnTheResult()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var app = new FunctionApp(h);
        var rows = Inputs.Rows(4, seed: 1);

        var infer = app.Request("POST", "/api/v1/infer", "?mode=async", Inputs.InferBody(rows, 42));
        Assert.IsType<EmptyResult>(await app.Http.Infer(infer));
        var (status, accepted) = FunctionApp.Response(infer);
        Assert.Equal(202, status);
        var id = accepted.GetProperty("requestId").GetString()!;
        Assert.Equal($"http://localhost:7071/api/v1/requests/{id}", accepted.GetProperty("statusUrl").GetString());
        Assert.Equal("queued", await StatusAsync(app, id));

        Assert.True(await app.PumpAsync() >= 3);

        var get = app.Request("GET", $"/api/v1/requests/{id}");
        await app.Http.GetRequest(get, id);
        var (getStatus, view) = FunctionApp.Response(get);
        Assert.Equal(200, getStatus);
        Assert.Equal("succeeded", view.GetProperty("status").GetString());
        var expected = h.Get<ModelRegistry>().Engine("demo").Forward([.. rows.SelectMany(r => r)], rows.Length, 42);
        var outputs = view.GetProperty("result").GetProperty("outputs");
        for (int r = 0; r < rows.Length; r++)
        {
            Assert.Equal(expected.Row(r).ToArray(), outputs[r].EnumerateArray().Select(v => v.GetSingle()).ToArray());
        }

        var audit = app.Request("GET", $"/api/v1/requests/{id}/audit");
        await app.Http.GetAudit(audit, id);
        var (auditStatus, record) = FunctionApp.Response(audit);
        Assert.Equal(200, auditStatus);
        Assert.Contains(id, record.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("\"activatedExperts\":[", record.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_SyncWhileQueueFunctionsRun_AnswersWithOutputsAndRouting()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var app = new FunctionApp(h);
        var rows = Inputs.Rows(3, seed: 2);
        var infer = app.Request("POST", "/api/v1/infer", json: Inputs.InferBody(rows, 7));

        var call = app.Http.Infer(infer);
        while (!call.IsCompleted)
        {
            await app.PumpAsync();
        }

        await call;
        var (status, body) = FunctionApp.Response(infer);
        Assert.Equal(200, status);
        Assert.Equal(3, body.GetProperty("outputs").GetArrayLength());
        Assert.Equal(3, body.GetProperty("routing").GetArrayLength());
        Assert.Equal("demo", body.GetProperty("model").GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetRequest_UnknownId_Returns404Problem()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var app = new FunctionApp(h);
        var get = app.Request("GET", "/api/v1/requests/req-missing");

        await app.Http.GetRequest(get, "req-missing");

        var (status, problem) = FunctionApp.Response(get);
        Assert.Equal(404, status);
        Assert.Equal("application/problem+json", get.HttpContext.Response.ContentType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Health_Anonymous_ListsTheServedModel()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite);
        var app = new FunctionApp(h);
        var get = app.Request("GET", "/api/v1/health");

        await app.Http.Health(get);

        var (status, body) = FunctionApp.Response(get);
        Assert.Equal(200, status);
        Assert.StartsWith("demo@", Assert.Single(body.GetProperty("models").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_AuthenticationOn_401WithoutTokenAndAcceptedWithOne()
    {
        using var authority = new TestAuthority();
        await using var h = await PipelineHarness.CreateAsync(azurite, authority.Settings());
        var app = new FunctionApp(h);
        var anonymous = app.Request("POST", "/api/v1/infer", "?mode=async", Inputs.InferBody(Inputs.Rows(1, seed: 3), 1));
        var signed = app.Request("POST", "/api/v1/infer", "?mode=async", Inputs.InferBody(Inputs.Rows(1, seed: 3), 1));
        signed.Headers.Authorization = "Bearer " + authority.Token(roles: [MoeRoles.InferenceInvoke]);

        await app.Http.Infer(anonymous);
        await app.Http.Infer(signed);

        Assert.Equal(401, anonymous.HttpContext.Response.StatusCode);
        Assert.Equal("Bearer", anonymous.HttpContext.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(202, signed.HttpContext.Response.StatusCode);
    }

    private static async Task<string?> StatusAsync(FunctionApp app, string id)
    {
        var get = app.Request("GET", $"/api/v1/requests/{id}");
        await app.Http.GetRequest(get, id);
        return FunctionApp.Response(get).Body.GetProperty("status").GetString();
    }
}
