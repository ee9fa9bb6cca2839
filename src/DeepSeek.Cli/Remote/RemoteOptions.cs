using System.CommandLine;

namespace DeepSeek.Cli.Remote;

/// <summary>The options every command that talks to a running stack shares.</summary>
internal sealed class RemoteOptions
{
    public Option<Uri> Url { get; } = new("--url")
    {
        Description = "The stack's base URL.",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("DEEPSEEK_URL") ?? "http://127.0.0.1:7071"),
        // The parser has no built-in conversion to Uri: without this, every explicit --url was refused.
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            result.AddError($"'{text}' is not an http(s) URL (for example http://127.0.0.1:7071).");
            return null;
        },
    };

    public Option<string?> Key { get; } = new("--key") { Description = "A function key (Azure), sent as x-functions-key." };

    public void AddTo(Command command)
    {
        command.Add(Url);
        command.Add(Key);
    }

    public ApiClient Client(ParseResult parse) => new(parse.GetValue(Url)!, parse.GetValue(Key));
}
