using System.CommandLine;

namespace DeepSeek.Cli.Remote;

/// <summary>The options every command that talks to a running stack shares.</summary>
internal sealed class RemoteOptions
{
    public Option<Uri> Url { get; } = new("--url")
    {
        Description = "The stack's base URL.",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("DEEPSEEK_URL") ?? "http://127.0.0.1:7071"),
    };

    public Option<string?> Key { get; } = new("--key") { Description = "A function key (Azure), sent as x-functions-key." };

    public void AddTo(Command command)
    {
        command.Add(Url);
        command.Add(Key);
    }

    public ApiClient Client(ParseResult parse) => new(parse.GetValue(Url)!, parse.GetValue(Key));
}
