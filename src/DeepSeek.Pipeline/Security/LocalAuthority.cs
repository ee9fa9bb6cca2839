using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// The development token authority of <c>deepseek local up</c>: an ECDSA P-256 signing key made once in a local state
/// folder (private key readable by its owner only), the worker settings that trust its public key, and tokens signed
/// with it. For local use: in Azure, tokens come from Entra ID.
/// </summary>
public static class LocalAuthority
{
    /// <summary>The issuer of development tokens.</summary>
    public const string Issuer = "deepseek-local-dev";

    /// <summary>The audience of development tokens.</summary>
    public const string Audience = "api://deepseek-functions";

    /// <summary>The tenant of the development token <c>local up</c> prints.</summary>
    public const string DevTenant = "local-dev-tenant";

    /// <summary>The caller of the development token <c>local up</c> prints.</summary>
    public const string DevCaller = "local-developer";

    /// <summary>The client id development tokens carry (<c>azp</c>).</summary>
    public const string ClientId = "deepseek-cli";

    /// <summary>The private key's file name in the key folder.</summary>
    public const string PrivateKeyFileName = "dev-signing-key.pem";

    /// <summary>The public key's file name in the key folder (what the worker reads).</summary>
    public const string PublicKeyFileName = "dev-signing-key.pub.pem";

    /// <summary>Gets the lifetime of the token <c>local up</c> prints: a working day.</summary>
    public static TimeSpan DevTokenLifetime { get; } = TimeSpan.FromHours(12);

    /// <summary>Makes the key pair in a folder unless it is there already.</summary>
    /// <param name="folder">The key folder (created if missing).</param>
    /// <returns>True when a new key was made.</returns>
    public static bool EnsureKey(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var privatePath = Path.Combine(folder, PrivateKeyFileName);
        if (File.Exists(privatePath))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(privatePath, options))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(Path.Combine(folder, PublicKeyFileName), key.ExportSubjectPublicKeyInfoPem());
        return true;
    }

    /// <summary>The settings that make a worker accept tokens of the key in a folder (and nothing else).</summary>
    /// <param name="folder">The key folder.</param>
    /// <returns>The <c>Moe:Auth</c> settings.</returns>
    public static Dictionary<string, string?> WorkerSettings(string folder) => new()
    {
        [$"{AuthOptions.SectionName}:{nameof(AuthOptions.Enabled)}"] = "true",
        [$"{AuthOptions.SectionName}:{nameof(AuthOptions.SigningKeyFile)}"] = Path.GetFullPath(Path.Combine(folder, PublicKeyFileName)),
        [$"{AuthOptions.SectionName}:{nameof(AuthOptions.Issuer)}"] = Issuer,
        [$"{AuthOptions.SectionName}:{nameof(AuthOptions.Audience)}"] = Audience,
    };

    /// <summary>Signs a token with the key in a folder.</summary>
    /// <param name="folder">The key folder.</param>
    /// <param name="roles">The app roles.</param>
    /// <param name="tenant">The tenant (<c>tid</c>).</param>
    /// <param name="caller">The caller (<c>oid</c> and <c>sub</c>).</param>
    /// <param name="lifetime">How long it is valid.</param>
    /// <param name="time">The clock.</param>
    /// <returns>The compact JWT.</returns>
    /// <exception cref="FileNotFoundException">The folder holds no key (run <c>deepseek local up</c> first).</exception>
    public static string MintToken(string folder, IEnumerable<string> roles, string tenant, string caller, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(time);
        var privatePath = Path.Combine(folder, PrivateKeyFileName);
        if (!File.Exists(privatePath))
        {
            throw new FileNotFoundException($"No development signing key at {privatePath}: `deepseek local up` makes it.", privatePath);
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(privatePath));
        var key = new ECDsaSecurityKey(ecdsa);
        using var publicKey = ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false));
        key.KeyId = SigningKeyFiles.KeyId(new ECDsaSecurityKey(publicKey));
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = caller,
                ["oid"] = caller,
                ["tid"] = tenant,
                ["azp"] = ClientId,
                ["roles"] = roles.Distinct(StringComparer.Ordinal).ToArray(),
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
