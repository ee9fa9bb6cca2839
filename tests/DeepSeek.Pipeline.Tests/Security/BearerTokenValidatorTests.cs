using System.Security.Cryptography;
using DeepSeek.Pipeline.Local;
using DeepSeek.Pipeline.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DeepSeek.Pipeline.Tests.Security;

/// <summary>
/// Entra ID mode against an OpenID metadata document and JWKS served in-process on loopback: signature validation uses the
/// published keys, follows a key rollover, and refuses everything while the metadata cannot be read.
/// </summary>
public sealed class BearerTokenValidatorTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private readonly TestAuthority _authority = new();
    private WebApplication? _server;
    private string _jwks = "";
    private int _metadataReads;
    private int _keyReads;

    private string BaseUrl { get; } = $"http://127.0.0.1:{AzuriteServer.FreePort()}";

    private string Authority => $"{BaseUrl}/{Tenant}/v2.0";

    public async Task InitializeAsync()
    {
        _jwks = TestAuthority.Jwks(_authority.RsaKey);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        _server = builder.Build();
        _server.MapGet($"/{Tenant}/v2.0/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref _metadataReads);
            return Results.Text($$"""{"issuer":"{{Authority}}","jwks_uri":"{{BaseUrl}}/{{Tenant}}/discovery/v2.0/keys","id_token_signing_alg_values_supported":["RS256"]}""", "application/json");
        });
        _server.MapGet($"/{Tenant}/discovery/v2.0/keys", () =>
        {
            Interlocked.Increment(ref _keyReads);
            return Results.Text(_jwks, "application/json");
        });
        await _server.StartAsync();
    }

    [Fact]
    public async Task Validate_TokenSignedWithAPublishedKey_AcceptedWithItsTenantAndRoles()
    {
        var outcome = await Validator().ValidateAsync(_authority.Token(tenant: Tenant, issuer: Authority, key: _authority.RsaKey, roles: [MoeRoles.JobsSubmit]), default);

        Assert.NotNull(outcome.Caller);
        Assert.Equal(Tenant, outcome.Caller.Tenant);
        Assert.Equal("caller-1", outcome.Caller.Caller);
        Assert.Equal([MoeRoles.JobsSubmit], outcome.Caller.Roles);
        Assert.Equal("bearer", outcome.Caller.Scheme);
        Assert.True(_metadataReads >= 1);
        Assert.True(_keyReads >= 1);
    }

    [Fact]
    public async Task Validate_KeyNotPublished_Refused()
    {
        var outcome = await Validator().ValidateAsync(_authority.Token(tenant: Tenant, issuer: Authority, key: _authority.EcKey), default);

        Assert.Null(outcome.Caller);
        Assert.Equal("unknown-key", outcome.Reason);
    }

    [Fact]
    public async Task Validate_IssuerOtherThanTheMetadatas_Refused()
    {
        var outcome = await Validator().ValidateAsync(_authority.Token(tenant: Tenant, issuer: $"{BaseUrl}/other-tenant/v2.0", key: _authority.RsaKey), default);

        Assert.Equal("wrong-issuer", outcome.Reason);
    }

    [Fact]
    public async Task Validate_KeyRolledOver_MetadataRefreshedAndTheNewKeyAccepted()
    {
        var validator = Validator();
        Assert.NotNull((await validator.ValidateAsync(_authority.Token(tenant: Tenant, issuer: Authority, key: _authority.RsaKey), default)).Caller);
        int reads = _keyReads;
        var next = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rolled-over" };
        _jwks = TestAuthority.Jwks(next);

        AuthenticationOutcome outcome;
        int attempts = 0;
        do
        {
            // The refresh may complete in the background: a later call sees the new keys.
            outcome = await validator.ValidateAsync(_authority.Token(tenant: Tenant, issuer: Authority, key: next), default);
            await Task.Delay(outcome.Caller is null ? 100 : 0);
        }
        while (outcome.Caller is null && ++attempts < 50);

        Assert.NotNull(outcome.Caller);
        Assert.True(_keyReads > reads);
        Assert.Equal("unknown-key", (await validator.ValidateAsync(_authority.Token(tenant: Tenant, issuer: Authority, key: _authority.EcKey), default)).Reason);
    }

    [Fact]
    public async Task Validate_MetadataUnreachable_RefusedAsUnavailable()
    {
        var options = new AuthOptions { Authority = $"http://127.0.0.1:{AzuriteServer.FreePort()}/{Tenant}/v2.0", RequireHttpsMetadata = false, Audience = TestAuthority.Audience };
        var validator = new BearerTokenValidator(Options.Create(options), TimeProvider.System, NullLogger<BearerTokenValidator>.Instance);

        var outcome = await validator.ValidateAsync(_authority.Token(tenant: Tenant, issuer: Authority, key: _authority.RsaKey), default);

        Assert.Null(outcome.Caller);
        Assert.Equal("metadata-unavailable", outcome.Reason);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _authority.Dispose();

    private BearerTokenValidator Validator() => new(
        Options.Create(new AuthOptions { Authority = Authority, RequireHttpsMetadata = false, Audience = TestAuthority.Audience }),
        TimeProvider.System,
        NullLogger<BearerTokenValidator>.Instance);
}
