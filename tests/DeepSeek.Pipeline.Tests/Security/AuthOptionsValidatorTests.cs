using System.Security.Cryptography;
using DeepSeek.Pipeline.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Tests.Security;

/// <summary>The start-up check of Moe:Auth, read from configuration exactly as the hosts read it.</summary>
public sealed class AuthOptionsValidatorTests : IDisposable
{
    private readonly TestAuthority _authority = new();

    [Fact]
    public void Validate_NothingConfigured_RefusesAndSaysHowToConfigureOrDisable()
    {
        var errors = Errors([]);

        var error = Assert.Single(errors);
        Assert.Contains("Moe:Auth:TenantId", error);
        Assert.Contains("Moe:Auth:SigningKeyFile", error);
        Assert.Contains("Moe:Auth:PlatformAuthentication", error);
        Assert.Contains("Moe:Auth:Enabled=false", error);
    }

    [Fact]
    public void Validate_ExplicitlyDisabled_Accepted() => Assert.Empty(Errors([("Moe:Auth:Enabled", "false")]));

    [Fact]
    public void Validate_EnabledPresentWithoutValue_StaysOn() => Assert.Single(Errors([("Moe:Auth:Enabled", null)]));

    [Fact]
    public void Validate_EntraTenantAndAudience_Accepted() =>
        Assert.Empty(Errors([("Moe:Auth:TenantId", "11111111-1111-1111-1111-111111111111"), ("Moe:Auth:Audience", "api://moe")]));

    [Fact]
    public void Validate_LocalKeys_Accepted() => Assert.Empty(Errors([.. _authority.Settings().Select(kv => (kv.Key, kv.Value))]));

    [Fact]
    public void Validate_EveryProblem_ReportedAtOnce()
    {
        var errors = Errors([
            ("Moe:Auth:SigningKeyFile", Path.Combine(_authority.Folder, "missing.pem")),
            ("Moe:Auth:ModelAccess:demo", "tenant:a, everyone"),
            ("Moe:Auth:DefaultModelAccess", "role:"),
        ]);

        Assert.Contains(errors, e => e.Contains("Moe:Auth:Audience is not set", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Moe:Auth:Issuer is not set", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("missing.pem' cannot be read", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ModelAccess:demo: 'everyone' is not a subject", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("DefaultModelAccess: 'role:' is not a subject", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PrivateKeyAsSigningKeyFile_Refused()
    {
        var path = Path.Combine(_authority.Folder, "private.pem");
        File.WriteAllText(path, ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem());

        var error = Assert.Single(Errors([("Moe:Auth:SigningKeyFile", path), ("Moe:Auth:Issuer", "i"), ("Moe:Auth:Audience", "a")]));

        Assert.Contains("'PRIVATE KEY' PEM", error);
    }

    [Fact]
    public void Validate_BothEntraAndLocalKeys_Refused() =>
        Assert.Contains(Errors([.. _authority.Settings().Select(kv => (kv.Key, kv.Value)), ("Moe:Auth:TenantId", "t")]), e => e.Contains("choose one", StringComparison.Ordinal));

    [Theory]
    [InlineData("http://login.example.test/t/v2.0/.well-known/openid-configuration", "false", true)]
    [InlineData("http://127.0.0.1:5000/t/v2.0/.well-known/openid-configuration", "true", true)]
    [InlineData("http://127.0.0.1:5000/t/v2.0/.well-known/openid-configuration", "false", false)]
    [InlineData("https://login.example.test/t/v2.0/.well-known/openid-configuration", "true", false)]
    public void Validate_PlainHttpMetadata_OnlyOnLoopbackAndOnlyWhenAllowed(string address, string requireHttps, bool refused)
    {
        var errors = Errors([("Moe:Auth:MetadataAddress", address), ("Moe:Auth:RequireHttpsMetadata", requireHttps), ("Moe:Auth:Audience", "api://moe")]);

        Assert.Equal(refused, errors.Any(e => e.Contains("plain HTTP", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("False", true)]
    [InlineData("True", false)]
    public void Validate_PlatformAuthentication_OnlyWhereAppServiceAuthenticationIsOn(string? websiteAuthEnabled, bool refused)
    {
        var errors = Errors([("Moe:Auth:PlatformAuthentication", "true"), ("WEBSITE_AUTH_ENABLED", websiteAuthEnabled ?? "")]);

        Assert.Equal(refused, errors.Any(e => e.Contains("WEBSITE_AUTH_ENABLED is not True", StringComparison.Ordinal)));
    }

    public void Dispose() => _authority.Dispose();

    private static List<string> Errors((string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddLogging().AddMoePipeline(configuration).BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<AuthOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }
}
