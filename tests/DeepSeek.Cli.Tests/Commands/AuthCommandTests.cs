using DeepSeek.Pipeline.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DeepSeek.Cli.Tests.Commands;

public sealed class AuthCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Token_NoKeyYet_SaysToRunLocalUp()
    {
        var (code, _, error) = await CliRunner.RunAsync("auth", "token", "--data", _folder.Path);

        Assert.Equal(1, code);
        Assert.Contains("deepseek local up", error);
    }

    [Fact]
    public async Task Token_WithTheLocalKey_SignedForTheWorkerWithTheRolesAndTenantAsked()
    {
        var keys = _folder.Sub("auth");
        Assert.True(LocalAuthority.EnsureKey(keys));
        Assert.False(LocalAuthority.EnsureKey(keys));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, LocalAuthority.PrivateKeyFileName)));
        }

        var (code, output, _) = await CliRunner.RunAsync("auth", "token", "--data", _folder.Path, "--role", MoeRoles.JobsSubmit, "--role", MoeRoles.AuditRead, "--tenant", "bank", "--lifetime", "00:10:00");

        Assert.Equal(0, code);
        var publicKey = System.Security.Cryptography.ECDsa.Create();
        publicKey.ImportFromPem(File.ReadAllText(Path.Combine(keys, LocalAuthority.PublicKeyFileName)));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(output.Trim(), new TokenValidationParameters
        {
            ValidIssuer = LocalAuthority.Issuer,
            ValidAudience = LocalAuthority.Audience,
            IssuerSigningKey = new ECDsaSecurityKey(publicKey),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("bank", token.GetClaim("tid").Value);
        Assert.Equal([MoeRoles.JobsSubmit, MoeRoles.AuditRead], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.InRange(token.ValidTo - token.ValidFrom, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
    }
}
