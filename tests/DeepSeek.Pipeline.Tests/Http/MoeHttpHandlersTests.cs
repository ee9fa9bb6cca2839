using System.Text;
using System.Text.Json;
using DeepSeek.Pipeline.Http;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Jobs;
using DeepSeek.Pipeline.Security;
using DeepSeek.Pipeline.Tests.Privacy;
using DeepSeek.Pipeline.Tests.Security;
using DeepSeek.Pipeline.Tests.Stages;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace DeepSeek.Pipeline.Tests.Http;

/// <summary>Access control through the handlers both hosts call: real tokens signed by real keys, real storage.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MoeHttpHandlersTests(AzuriteFixture azurite)
{
    private static string Today => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("missing", "missing-token")]
    [InlineData("not-bearer", "missing-token")]
    [InlineData("malformed", "malformed")]
    [InlineData("expired", "expired")]
    [InlineData("not-yet-valid", "not-yet-valid")]
    [InlineData("wrong-audience", "wrong-audience")]
    [InlineData("wrong-issuer", "wrong-issuer")]
    [InlineData("alg-none", "invalid-signature")]
    [InlineData("wrong-key", "invalid-signature")]
    [InlineData("hmac-with-public-key", "unknown-key")]
    public async Task Infer_BadCredential_401ProblemWithBearerChallengeAuditedAndNothingQueued(string credential, string reason)
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);
        var a = s.Authority;
        var headers = new Dictionary<string, string>();
        string? token = credential switch
        {
            "missing" => null,
            "malformed" => "not-a.jwt",
            // Expired well beyond the one-minute clock skew.
            "expired" => a.Token(expiresIn: TimeSpan.FromMinutes(-3)),
            "not-yet-valid" => a.Token(notBeforeIn: TimeSpan.FromMinutes(3), expiresIn: TimeSpan.FromMinutes(30)),
            "wrong-audience" => a.Token(audience: "api://someone-else"),
            "wrong-issuer" => a.Token(issuer: "https://issuer.test/evil"),
            "alg-none" => TestAuthority.Unsigned(),
            "wrong-key" => a.TokenFromUnknownKey(),
            // The classic confusion: an HMAC keyed with the trusted public key's bytes.
            "hmac-with-public-key" => a.Token(key: new SymmetricSecurityKey(Encoding.UTF8.GetBytes(File.ReadAllText(a.PemPath)))),
            _ => null,
        };
        if (credential == "not-bearer")
        {
            headers["Authorization"] = "Basic dXNlcjpwYXNz";
        }

        var call = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", token, SecuredHarness.InferBody(), headers: headers);

        Assert.Equal(401, call.Status);
        Assert.Equal(Problems.ContentType, call.ContentType);
        Assert.EndsWith("/unauthorized", call.Json.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, call.Json.GetProperty("status").GetInt32());
        var challenge = call.Headers.WWWAuthenticate.ToString();
        Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
        Assert.Equal(token is not null, challenge.Contains("error=\"invalid_token\"", StringComparison.Ordinal));
        var denial = Assert.Single(await s.DenialsAsync());
        Assert.Equal(reason, denial.GetProperty("reason").GetString());
        Assert.Equal(401, denial.GetProperty("status").GetInt32());
        Assert.Equal(MoeRoutes.Infer, denial.GetProperty("route").GetString());
        Assert.DoesNotContain(token ?? "\u0000", denial.GetRawText(), StringComparison.Ordinal);
        Assert.Empty((await s.Harness.Storage.Queue(s.Harness.Layout.GateQueue).PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task Infer_ExpiredWithinClockSkew_Accepted()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);

        var call = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer",
            s.Authority.Token(expiresIn: TimeSpan.FromSeconds(-20)), SecuredHarness.InferBody(), "?mode=async");

        Assert.Equal(202, call.Status);
    }

    [Fact]
    public async Task Infer_RsaTokenFromJwksFile_Accepted()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);

        var call = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer",
            s.Authority.Token(key: s.Authority.RsaKey), SecuredHarness.InferBody(), "?mode=async");

        Assert.Equal(202, call.Status);
    }

    [Theory]
    [InlineData("infer", "Jobs.Submit")]
    [InlineData("request", "Audit.Read")]
    [InlineData("audit", "Inference.Invoke")]
    [InlineData("job", "Inference.Invoke")]
    [InlineData("job-status", "Audit.Read")]
    [InlineData("stats-release", "Audit.Read")]
    [InlineData("stats-release", "Inference.Invoke")]
    [InlineData("stats", "Inference.Invoke")]
    [InlineData("stats", "Jobs.Submit")]
    public async Task Route_ValidTokenWithoutTheRole_403ProblemAudited(string route, string heldRole)
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);
        var token = s.Authority.Token(roles: [heldRole]);

        var call = route switch
        {
            "infer" => await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", token, SecuredHarness.InferBody()),
            "request" => await s.GetRequestAsync("req-x", token),
            "audit" => await s.GetAuditAsync("req-x", token),
            "job" => await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.SubmitJobAsync, "POST", "/api/v1/jobs", token, SecuredHarness.JobBody(), "?model=demo"),
            "stats-release" => await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.ReleaseStatsAsync, "POST", "/api/v1/stats/release", token, null, $"?period={Today}"),
            "stats" => await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.GetStatsAsync, "GET", "/api/v1/stats", token, null, $"?period={Today}"),
            _ => await HandlerCall.RunAsync(s.Harness, c => MoeHttpHandlers.GetJobAsync(c, "job-x"), "GET", "/api/v1/jobs/job-x", token),
        };

        Assert.Equal(403, call.Status);
        Assert.Equal(Problems.ContentType, call.ContentType);
        Assert.EndsWith("/forbidden", call.Json.GetProperty("type").GetString(), StringComparison.Ordinal);
        var denial = Assert.Single(await s.DenialsAsync());
        Assert.Equal("missing-role", denial.GetProperty("reason").GetString());
        Assert.Equal("tenant-a", denial.GetProperty("tenant").GetString());
        Assert.StartsWith("pii:caller:", denial.GetProperty("caller").GetString(), StringComparison.Ordinal);
        Assert.Equal(s.Pseudonym("caller-1"), denial.GetProperty("caller").GetString());
        Assert.DoesNotContain("caller-1", denial.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(await s.Harness.Storage.ListAsync(s.Harness.Layout.StatsContainer, "", default));
    }

    [Fact]
    public async Task Stats_AdminReleasesAuditReadReads()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);

        var release = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.ReleaseStatsAsync, "POST", "/api/v1/stats/release",
            s.Authority.Token(tenant: "tenant-ops", roles: [MoeRoles.Admin]), null, $"?period={Today}&epsilon=0.5");
        var read = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.GetStatsAsync, "GET", "/api/v1/stats",
            s.Authority.Token(tenant: "tenant-b", roles: [MoeRoles.AuditRead]), null, $"?period={Today}");
        var anonymous = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.GetStatsAsync, "GET", "/api/v1/stats", null, null, $"?period={Today}");

        Assert.Equal(200, release.Status);
        Assert.Equal(200, read.Status);
        Assert.Equal(release.Json.GetProperty("releaseId").GetString(), Assert.Single(read.Json.GetProperty("releases").EnumerateArray()).GetProperty("releaseId").GetString());
        Assert.Equal(401, anonymous.Status);
        var denial = Assert.Single(await s.DenialsAsync());
        Assert.Equal(MoeRoutes.GetStats, denial.GetProperty("route").GetString());
    }

    [Fact]
    public async Task GetAudit_ADenialRecordsId_404EvenForAdmin()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);
        await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", null, SecuredHarness.InferBody());
        var id = Assert.Single(await s.DenialsAsync()).GetProperty("id").GetString()!;

        var call = await s.GetAuditAsync(id, s.Authority.Token(roles: [MoeRoles.Admin]));

        Assert.Equal(404, call.Status);
        Assert.DoesNotContain("missing-token", call.Text, StringComparison.Ordinal);
        var replay = await Assert.ThrowsAsync<DeepSeek.Pipeline.Audit.AuditReplayException>(() => s.Harness.Get<DeepSeek.Pipeline.Audit.AuditReplayer>().ReplayAsync(id, 1e-5, default));
        Assert.Contains("not a request's record", replay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerId_OnRequestJobAuditAndDenialRecords_OnlyAsItsPseudonymNeverInLogs()
    {
        const string caller = "dr.house@clinic.example";
        var day = Today;
        var logs = new RecordingLoggerProvider();
        await using var s = await SecuredHarness.CreateAsync(azurite, logging: b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var own = s.Authority.Token(tenant: "tenant-a", caller: caller);
        var id = await s.InferAndRunAsync(own);
        var submit = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.SubmitJobAsync, "POST", "/api/v1/jobs", own, SecuredHarness.JobBody(), "?model=demo");
        foreach (var m in await s.Harness.TakeAllAsync(s.Harness.Layout.JobsQueue))
        {
            await s.Harness.Get<JobStage>().HandleAsync(m, default);
        }

        await s.Harness.DrainAsync();
        var noRole = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.ReleaseStatsAsync, "POST", "/api/v1/stats/release",
            s.Authority.Token(tenant: "tenant-a", caller: caller, roles: [MoeRoles.AuditRead]), null, $"?period={Today}");
        var otherTenant = await s.GetAuditAsync(id, s.Authority.Token(tenant: "tenant-b", caller: caller));
        var sameTenantOtherCaller = await s.GetAuditAsync(id, s.Authority.Token(tenant: "tenant-a", caller: "caller-2", roles: [MoeRoles.AuditRead]));

        Assert.Equal(202, submit.Status);
        Assert.Equal(403, noRole.Status);
        Assert.Equal(404, otherTenant.Status);
        // Isolation is by tenant: another caller of the same tenant reads the record, which names the first only by pseudonym.
        Assert.Equal(200, sameTenantOtherCaller.Status);
        var pseudonym = s.Pseudonym(caller);
        Assert.Equal(pseudonym, sameTenantOtherCaller.Json.GetProperty("caller").GetString());
        Assert.Equal("tenant-a", sameTenantOtherCaller.Json.GetProperty("tenant").GetString());
        var denials = await s.DenialsAsync();
        Assert.Equal(2, denials.Count);
        Assert.All(denials, d => Assert.Equal(pseudonym, d.GetProperty("caller").GetString()));
        var blobs = await PrivacyPipelineTests.EveryBlobAsync(s.Harness);
        Assert.Contains(blobs, b => b.Name.EndsWith("/job.json", StringComparison.Ordinal) && b.Text.Contains(pseudonym, StringComparison.Ordinal));
        Assert.Contains(blobs, b => b.Name.EndsWith($"{id}/request.json", StringComparison.Ordinal) && b.Text.Contains(pseudonym, StringComparison.Ordinal));
        Assert.DoesNotContain(blobs, b => b.Text.Contains(caller, StringComparison.Ordinal));
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(caller, StringComparison.Ordinal));
        // Denials and requests' records share the chains, and the verifier finds them intact.
        var report = await new DeepSeek.Pipeline.Audit.AuditVerifier(s.Harness.Storage, null).VerifyAsync(null, null, default);
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.True(report.Records >= 2 + 1 + 1);
        // Usage statistics count requests' records only: the denials in the same chains are skipped.
        Assert.Equal(2, (await s.Harness.Get<DeepSeek.Pipeline.Statistics.UsageStatistics>().CountAsync(day, default))["demo"].Requests);
    }

    [Fact]
    public async Task Infer_TokenWithoutTenant_403()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);

        var call = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", s.Authority.Token(tenant: null), SecuredHarness.InferBody());

        Assert.Equal(403, call.Status);
        Assert.Equal("no-tenant", Assert.Single(await s.DenialsAsync()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Routes_RightRole_200AndTheTenantIsRecorded()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);
        var id = await s.InferAndRunAsync(s.Authority.Token(roles: [MoeRoles.InferenceInvoke]));

        var request = await s.GetRequestAsync(id, s.Authority.Token(roles: [MoeRoles.InferenceInvoke]));
        var audit = await s.GetAuditAsync(id, s.Authority.Token(roles: [MoeRoles.AuditRead]));

        Assert.Equal(200, request.Status);
        Assert.Equal("succeeded", request.Json.GetProperty("status").GetString());
        Assert.Equal(200, audit.Status);
        Assert.Equal("tenant-a", audit.Json.GetProperty("tenant").GetString());
        Assert.Equal(s.Pseudonym("caller-1"), audit.Json.GetProperty("caller").GetString());
        Assert.DoesNotContain("caller-1", audit.Text, StringComparison.Ordinal);
        Assert.Empty(await s.DenialsAsync());
    }

    [Fact]
    public async Task Reads_OtherTenantsRequestResultAndAudit_404LikeMissingAndAudited()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);
        var id = await s.InferAndRunAsync(s.Authority.Token(tenant: "tenant-a"));
        var b = s.Authority.Token(tenant: "tenant-b");

        var request = await s.GetRequestAsync(id, b);
        var audit = await s.GetAuditAsync(id, b);
        var missing = await s.GetRequestAsync("req-does-not-exist", b);

        Assert.Equal(404, request.Status);
        Assert.Equal(404, audit.Status);
        Assert.Equal(missing.Json.GetProperty("type").GetString(), request.Json.GetProperty("type").GetString());
        Assert.Equal(missing.Json.GetProperty("title").GetString(), request.Json.GetProperty("title").GetString());
        Assert.DoesNotContain("outputs", request.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant-a", request.Text + audit.Text, StringComparison.Ordinal);
        var denials = await s.DenialsAsync();
        Assert.Equal(2, denials.Count);
        Assert.All(denials, d =>
        {
            Assert.Equal("other-tenant", d.GetProperty("reason").GetString());
            Assert.Equal(404, d.GetProperty("status").GetInt32());
            Assert.Equal("tenant-b", d.GetProperty("tenant").GetString());
            Assert.Equal(id, d.GetProperty("resourceId").GetString());
        });
        Assert.Equal(200, (await s.GetRequestAsync(id, s.Authority.Token(tenant: "tenant-a", caller: "caller-2"))).Status);
    }

    [Fact]
    public async Task Reads_OtherTenantsJob_404ForStatusAndOutput()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);
        var a = s.Authority.Token(tenant: "tenant-a");
        var submit = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.SubmitJobAsync, "POST", "/api/v1/jobs", a, SecuredHarness.JobBody(), "?model=demo");
        Assert.Equal(202, submit.Status);
        var jobId = submit.Json.GetProperty("jobId").GetString()!;
        foreach (var m in await s.Harness.TakeAllAsync(s.Harness.Layout.JobsQueue))
        {
            await s.Harness.Get<JobStage>().HandleAsync(m, default);
        }

        await s.Harness.DrainAsync();
        var b = s.Authority.Token(tenant: "tenant-b");

        var status = await HandlerCall.RunAsync(s.Harness, c => MoeHttpHandlers.GetJobAsync(c, jobId), "GET", $"/api/v1/jobs/{jobId}", b);
        var output = await HandlerCall.RunAsync(s.Harness, c => MoeHttpHandlers.GetJobOutputAsync(c, jobId), "GET", $"/api/v1/jobs/{jobId}/output", b);
        var chunk = await s.GetRequestAsync($"{jobId}-c000000", b);
        var own = await HandlerCall.RunAsync(s.Harness, c => MoeHttpHandlers.GetJobOutputAsync(c, jobId), "GET", $"/api/v1/jobs/{jobId}/output", a);

        Assert.Equal(404, status.Status);
        Assert.Equal(404, output.Status);
        Assert.Equal(404, chunk.Status);
        Assert.Equal(200, own.Status);
        Assert.Equal(3, own.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(3, (await s.DenialsAsync()).Count(d => d.GetProperty("reason").GetString() == "other-tenant"));
    }

    [Fact]
    public async Task Reads_RecordWithoutTenant_AdminOnly()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);
        // A request accepted before access control existed: no tenant on its record.
        await s.Harness.Get<InferenceSubmitter>().SubmitAsync("req-legacy", "demo", StageTests.Rows(1, seed: 3), 1, PipelineHarness.DModel, 1, null, null, null, default);
        await s.Harness.DrainAsync();

        var user = await s.GetRequestAsync("req-legacy", s.Authority.Token(roles: [MoeRoles.InferenceInvoke, MoeRoles.AuditRead]));
        var admin = await s.GetRequestAsync("req-legacy", s.Authority.Token(roles: [MoeRoles.Admin]));

        Assert.Equal(404, user.Status);
        Assert.Equal(200, admin.Status);
        Assert.Equal("no-tenant-record", Assert.Single(await s.DenialsAsync()).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData(false, 404)]
    [InlineData(true, 200)]
    public async Task Reads_AdminOfAnotherTenant_OnlyWithAdminCrossTenant(bool crossTenant, int expected)
    {
        await using var s = await SecuredHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Moe:Auth:AdminCrossTenant"] = crossTenant ? "true" : "false" });
        var id = await s.InferAndRunAsync(s.Authority.Token(tenant: "tenant-a"));

        var call = await s.GetAuditAsync(id, s.Authority.Token(tenant: "tenant-ops", roles: [MoeRoles.Admin]));

        Assert.Equal(expected, call.Status);
    }

    [Fact]
    public async Task Infer_ModelNotOnItsAllowList_403AndAudited()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite, new Dictionary<string, string?> { ["Moe:Auth:ModelAccess:demo"] = "tenant:tenant-b, role:Model.Demo" });

        var denied = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", s.Authority.Token(tenant: "tenant-a"), SecuredHarness.InferBody(), "?mode=async");
        var byTenant = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", s.Authority.Token(tenant: "tenant-b"), SecuredHarness.InferBody(), "?mode=async");
        var byRole = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer",
            s.Authority.Token(tenant: "tenant-a", roles: [MoeRoles.InferenceInvoke, "Model.Demo"]), SecuredHarness.InferBody(), "?mode=async");

        Assert.Equal(403, denied.Status);
        Assert.Contains("'demo'", denied.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(202, byTenant.Status);
        Assert.Equal(202, byRole.Status);
        var denial = Assert.Single(await s.DenialsAsync());
        Assert.Equal("model-not-allowed", denial.GetProperty("reason").GetString());
        Assert.Equal("demo", denial.GetProperty("model").GetString());
    }

    [Fact]
    public async Task SubmitJob_ALineNamesAModelNotAllowed_403AndNothingStored()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite, new Dictionary<string, string?>
        {
            ["Moe:Auth:DefaultModelAccess"] = "none",
            ["Moe:Auth:ModelAccess:demo"] = "*",
        });
        var token = s.Authority.Token();

        var denied = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.SubmitJobAsync, "POST", "/api/v1/jobs", token, SecuredHarness.JobBody(lineModel: "radiology"), "?model=demo");
        var allowed = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.SubmitJobAsync, "POST", "/api/v1/jobs", token, SecuredHarness.JobBody(lineModel: "demo"), "?model=demo");

        Assert.Equal(403, denied.Status);
        Assert.Contains("'radiology'", denied.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(202, allowed.Status);
        Assert.Single(await s.Harness.Storage.ListAsync(s.Harness.Layout.JobsContainer, "job-", default), n => n.EndsWith("/job.json", StringComparison.Ordinal));
        Assert.Equal("radiology", Assert.Single(await s.DenialsAsync()).GetProperty("model").GetString());
    }

    [Fact]
    public async Task Health_NoToken_200()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);

        var call = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.HealthAsync, "GET", "/api/v1/health");

        Assert.Equal(200, call.Status);
    }

    [Fact]
    public async Task Infer_PlatformPrincipalHeaderWithoutPlatformAuth_401EvenBesideAValidToken()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite);

        var call = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", s.Authority.Token(), SecuredHarness.InferBody(),
            "?mode=async", new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL"] = Principal("tenant-a", MoeRoles.Admin) });

        Assert.Equal(401, call.Status);
        Assert.Equal("forged-principal", Assert.Single(await s.DenialsAsync()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Infer_PlatformPrincipalHeaderWithPlatformAuthOn_AcceptedAsThatCaller()
    {
        await using var s = await SecuredHarness.CreateAsync(azurite, new Dictionary<string, string?>
        {
            ["Moe:Auth:PlatformAuthentication"] = "true",
            ["WEBSITE_AUTH_ENABLED"] = "True",
        });
        var headers = new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL"] = Principal("tenant-p", MoeRoles.InferenceInvoke), ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad" };

        var call = await HandlerCall.RunAsync(s.Harness, MoeHttpHandlers.InferAsync, "POST", "/api/v1/infer", null, SecuredHarness.InferBody(), "?mode=async", headers);
        var noRole = await HandlerCall.RunAsync(s.Harness, c => MoeHttpHandlers.GetAuditAsync(c, "x"), "GET", "/api/v1/requests/x/audit", null, null, "", headers);

        Assert.Equal(202, call.Status);
        var id = call.Json.GetProperty("requestId").GetString()!;
        var record = (await s.Harness.Storage.TryReadAsync(s.Harness.Layout.StateContainer, $"{id}/request.json", default))!.ToString();
        Assert.Contains("\"tenant\":\"tenant-p\"", record, StringComparison.Ordinal);
        Assert.Contains($"\"caller\":\"{s.Pseudonym("platform-caller")}\"", record, StringComparison.Ordinal);
        Assert.DoesNotContain("platform-caller", record, StringComparison.Ordinal);
        Assert.Equal(403, noRole.Status);
    }

    /// <summary>The header App Service Authentication sets: base64 JSON, claim names as the platform maps them.</summary>
    private static string Principal(string tenant, string role) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["auth_typ"] = "aad",
        ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        ["role_typ"] = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        ["claims"] = new[]
        {
            new { typ = "http://schemas.microsoft.com/identity/claims/tenantid", val = tenant },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = "platform-caller" },
            new { typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", val = role },
        },
    }));
}
