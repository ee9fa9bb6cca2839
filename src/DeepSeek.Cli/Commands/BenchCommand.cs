using System.CommandLine;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek bench SCENARIO</c>: side-by-side measurements from one run.</summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var bench = new Command("bench", "Measure throughput side by side in one run.");
        _ = console;
        return bench;
    }
}
