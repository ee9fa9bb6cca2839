namespace DeepSeek.Cli.Tests.Commands;

public sealed class StatsCommandTests
{
    [Fact]
    public async Task Release_UrlOptionGiven_ParsedAndUsed()
    {
        // Nothing listens on port 9 (discard): the command must get as far as calling it.
        var run = await CliRunner.RunAsync("stats", "release", "--period", "2025-01-31", "--url", "http://127.0.0.1:9");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot reach http://127.0.0.1:9/", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_UrlNotHttp_RefusedByTheParser()
    {
        var run = await CliRunner.RunAsync("stats", "release", "--period", "2025-01-31", "--url", "ftp://x");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("is not an http(s) URL", run.Error, StringComparison.Ordinal);
    }
}
