using System.CommandLine;
using System.Globalization;
using DeepSeek.Cli.Remote;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek stats release|show</c>: differentially private usage statistics of a running stack.</summary>
internal static class StatsCommand
{
    public static Command Create(CliConsole console)
    {
        var stats = new Command("stats", "Differentially private usage statistics (per-model requests, per-expert activations) per UTC day.");
        stats.Add(Release(console));
        stats.Add(Show(console));
        return stats;
    }

    private static Command Release(CliConsole console)
    {
        var remote = new RemoteOptions();
        var period = new Option<string>("--period") { Description = "The UTC day, yyyy-MM-dd.", Required = true };
        var epsilon = new Option<double?>("--epsilon") { Description = "The epsilon to spend (default: the stack's Stats:Epsilon, 0.5)." };
        var command = new Command("release", "POST /api/v1/stats/release: publish noisy counts, spending privacy budget; refused once the day's budget is spent.") { period, epsilon };
        remote.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            using var client = remote.Client(p);
            var query = $"api/v1/stats/release?period={Uri.EscapeDataString(p.GetValue(period)!)}";
            if (p.GetValue(epsilon) is { } eps)
            {
                query += "&epsilon=" + eps.ToString("R", CultureInfo.InvariantCulture);
            }

            var (status, text) = await client.SendAsync(HttpMethod.Post, query, null, ct).ConfigureAwait(false);
            await (status == 200 ? console.Out : console.Error).WriteLineAsync(text).ConfigureAwait(false);
            return status == 200 ? 0 : 1;
        }));
        return command;
    }

    private static Command Show(CliConsole console)
    {
        var remote = new RemoteOptions();
        var period = new Option<string>("--period") { Description = "The UTC day, yyyy-MM-dd.", Required = true };
        var command = new Command("show", "GET /api/v1/stats: the day's published releases (spends nothing).") { period };
        remote.AddTo(command);
        command.SetAction((p, ct) => console.GuardAsync(async () =>
        {
            using var client = remote.Client(p);
            var (status, text) = await client.SendAsync(HttpMethod.Get, $"api/v1/stats?period={Uri.EscapeDataString(p.GetValue(period)!)}", null, ct).ConfigureAwait(false);
            await (status == 200 ? console.Out : console.Error).WriteLineAsync(text).ConfigureAwait(false);
            return status == 200 ? 0 : 1;
        }));
        return command;
    }
}
