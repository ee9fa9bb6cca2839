using System.CommandLine;
using DeepSeek.Cli.Commands;
using DeepSeek.Moe.Native.Engine;

namespace DeepSeek.Cli;

/// <summary>The <c>deepseek</c> command line.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        // Before the commands are built: --backend accepts what MoeBackends.All lists at that moment.
        NativeBackends.Register();
        var console = new CliConsole(output, error);
        var root = new RootCommand("DeepSeek.Functions: serverless Mixture-of-Experts inference.")
        {
            ModelCommand.Create(console),
            RunCommand.Create(console),
            BenchCommand.Create(console),
            LocalCommand.Create(console),
            InferCommand.Create(console),
            JobsCommand.Create(console),
            AuthCommand.Create(console),
            AuditCommand.Create(console),
            StatsCommand.Create(console),
        };
        var config = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(config, cancellationToken).ConfigureAwait(false);
    }
}
