using System.CommandLine;

namespace DeepSeek.Cli.Remote;

/// <summary>The options every command that talks to a running stack shares.</summary>
internal sealed class RemoteOptions
{
    /// <summary>The environment variable a bearer token is read from when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "DEEPSEEK_TOKEN";

    public Option<Uri> Url { get; } = new("--url")
    {
        Description = "The stack's base URL.",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("DEEPSEEK_URL") ?? "http://127.0.0.1:7071"),
        // System.CommandLine has no built-in conversion to Uri: without this parser every explicit --url was refused.
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            result.AddError($"--url '{text}' is not an http(s) URL (for example http://127.0.0.1:7071).");
            return null;
        },
    };

    public Option<string?> Key { get; } = new("--key") { Description = "A function key (Azure), sent as x-functions-key." };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"A bearer token (Entra ID, or the development token `deepseek local up` prints); default: ${TokenVariable}.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token : null,
    };

    public void AddTo(Command command)
    {
        command.Add(Url);
        command.Add(Key);
        command.Add(Token);
    }

    public ApiClient Client(ParseResult parse) => new(parse.GetValue(Url)!, parse.GetValue(Key), parse.GetValue(Token));
}
