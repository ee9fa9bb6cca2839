using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeepSeek.Pipeline.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DeepSeek.Pipeline.Tests.Security;

/// <summary>
/// A token issuer for tests: real keys (ECDSA P-256 trusted through a PEM file, RSA through a JWKS file), the Moe:Auth
/// settings that trust them, and tokens with any claim, lifetime, audience, issuer, key or algorithm a test needs.
/// </summary>
public sealed class TestAuthority : IDisposable
{
    public const string Issuer = "https://issuer.test/moe";
    public const string Audience = "api://moe-tests";

    private readonly TempFolder _folder = new();

    public TestAuthority()
    {
        EcKey = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        EcKey.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(EcKey).ComputeJwkThumbprint());
        RsaKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-test-key" };
        PemPath = Path.Combine(_folder.Path, "signing.pub.pem");
        File.WriteAllText(PemPath, EcKey.ECDsa.ExportSubjectPublicKeyInfoPem());
        JwksPath = Path.Combine(_folder.Path, "jwks.json");
        File.WriteAllText(JwksPath, Jwks(RsaKey));
    }

    /// <summary>Gets the key trusted through <see cref="PemPath"/>.</summary>
    public ECDsaSecurityKey EcKey { get; }

    /// <summary>Gets the key trusted through <see cref="JwksPath"/>.</summary>
    public RsaSecurityKey RsaKey { get; }

    public string PemPath { get; }

    public string JwksPath { get; }

    public string Folder => _folder.Path;

    /// <summary>The settings that trust both keys for <see cref="Issuer"/> and <see cref="Audience"/>.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Moe:Auth:Enabled"] = "true",
        ["Moe:Auth:SigningKeyFile"] = PemPath,
        ["Moe:Auth:JwksFile"] = JwksPath,
        ["Moe:Auth:Issuer"] = Issuer,
        ["Moe:Auth:Audience"] = Audience,
    };

    /// <summary>A signed token; every argument left out gets the value that makes it valid.</summary>
    public string Token(
        string? tenant = "tenant-a",
        string caller = "caller-1",
        string[]? roles = null,
        string issuer = Issuer,
        string audience = Audience,
        TimeSpan? expiresIn = null,
        TimeSpan? notBeforeIn = null,
        SecurityKey? key = null,
        IDictionary<string, object>? claims = null)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var signing = key ?? EcKey;
        var algorithm = signing switch
        {
            RsaSecurityKey => SecurityAlgorithms.RsaSha256,
            SymmetricSecurityKey => SecurityAlgorithms.HmacSha256,
            _ => SecurityAlgorithms.EcdsaSha256,
        };
        var all = new Dictionary<string, object> { ["oid"] = caller, ["sub"] = caller, ["roles"] = roles ?? MoeRoles.All.ToArray() };
        if (tenant is not null)
        {
            all["tid"] = tenant;
        }

        foreach (var (name, value) in claims ?? new Dictionary<string, object>())
        {
            all[name] = value;
        }

        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(30));
        var notBefore = now + (notBeforeIn ?? TimeSpan.FromMinutes(-5));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore < expires ? notBefore : expires.AddMinutes(-1),
            NotBefore = notBefore < expires ? notBefore : expires.AddMinutes(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(signing, algorithm),
            Claims = all,
        });
    }

    /// <summary>A token signed by a key nobody trusts.</summary>
    public string TokenFromUnknownKey()
    {
        var stranger = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = EcKey.KeyId };
        return Token(key: stranger);
    }

    /// <summary>An unsigned token (<c>alg</c> none) with otherwise valid claims, built by hand.</summary>
    public static string Unsigned(string tenant = "tenant-a")
    {
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = "caller-1", ["oid"] = "caller-1", ["tid"] = tenant,
            ["roles"] = MoeRoles.All.ToArray(), ["nbf"] = now - 60, ["iat"] = now - 60, ["exp"] = now + 1800,
        });
        return $"{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header))}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.";
    }

    /// <summary>A JSON Web Key Set holding the public part of keys.</summary>
    public static string Jwks(params SecurityKey[] keys)
    {
        var jwks = keys.Select(k =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(k switch
            {
                RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId },
                _ => k,
            });
            return jwk.Kty == "EC"
                ? new Dictionary<string, string?> { ["kty"] = jwk.Kty, ["kid"] = k.KeyId, ["use"] = "sig", ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y }
                : new Dictionary<string, string?> { ["kty"] = jwk.Kty, ["kid"] = k.KeyId, ["use"] = "sig", ["n"] = jwk.N, ["e"] = jwk.E };
        });
        return JsonSerializer.Serialize(new { keys = jwks });
    }

    public void Dispose() => _folder.Dispose();
}
