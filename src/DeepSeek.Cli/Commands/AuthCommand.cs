using System.CommandLine;
using DeepSeek.Pipeline.Security;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek auth token</c>: development tokens signed with the key <c>deepseek local up</c> made.</summary>
internal static class AuthCommand
{
    public static Command Create(CliConsole console)
    {
        var auth = new Command("auth", "Development credentials for the local stack.");
        auth.Add(Token(console));
        return auth;
    }

    private static Command Token(CliConsole console)
    {
        var roles = new Option<string[]>("--role")
        {
            Description = $"An app role ({string.Join(", ", MoeRoles.All)}); repeat for several. Default: every role.",
            AllowMultipleArgumentsPerToken = true,
        };
        var tenant = new Option<string>("--tenant") { Description = "The tenant (tid claim).", DefaultValueFactory = _ => LocalAuthority.DevTenant };
        var caller = new Option<string>("--caller") { Description = "The caller (oid and sub claims).", DefaultValueFactory = _ => LocalAuthority.DevCaller };
        var lifetime = new Option<TimeSpan>("--lifetime") { Description = "How long the token is valid (hh:mm:ss).", DefaultValueFactory = _ => LocalAuthority.DevTokenLifetime };
        var data = LocalCommand.DataOption();
        var command = new Command("token", "Print a development bearer token for the local stack (use: export DEEPSEEK_TOKEN=$(deepseek auth token ...)).")
        {
            roles, tenant, caller, lifetime, data,
        };
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            var span = p.GetValue(lifetime);
            if (span <= TimeSpan.Zero)
            {
                throw new CliUsageException("--lifetime must be positive");
            }

            var keys = Path.Combine(LocalCommand.StateFolder(p.GetValue(data)), LocalCommand.AuthFolderName);
            if (!File.Exists(Path.Combine(keys, LocalAuthority.PrivateKeyFileName)))
            {
                throw new CliUsageException($"no development signing key in {keys}: run `deepseek local up` (with the same --data) first");
            }

            var chosen = p.GetValue(roles) is { Length: > 0 } named ? named : [.. MoeRoles.All];
            var token = LocalAuthority.MintToken(keys, chosen, p.GetValue(tenant)!, p.GetValue(caller)!, span, TimeProvider.System);
            await console.Out.WriteLineAsync(token).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
