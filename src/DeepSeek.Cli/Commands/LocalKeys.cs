using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeepSeek.Cli.Commands;

/// <summary>
/// The local stack's secrets: an audit seal key and a pseudonym key, created once per state folder and kept in
/// <c>settings.json</c> beside the emulator's data, with the current storage connection, so that
/// <c>deepseek audit verify --settings .local/settings.json</c> reads what the stack wrote.
/// </summary>
internal sealed class LocalKeys
{
    public const string FileName = "settings.json";

    private LocalKeys(string path, Dictionary<string, string?> settings)
    {
        Path = path;
        Settings = settings;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<LocalKeys> LoadOrCreateAsync(string path, string connection, CancellationToken ct)
    {
        var root = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false))?.AsObject() ?? [] : [];
        string sealKey = root["Audit"]?["Seal"]?["Key"]?.GetValue<string>() ?? NewKey();
        string pseudonymKey = root["Privacy"]?["PseudonymKey"]?.GetValue<string>() ?? NewKey();
        root["AzureWebJobsStorage"] = connection;
        root["Audit"] = new JsonObject { ["Seal"] = new JsonObject { ["Key"] = sealKey } };
        root["Privacy"] = new JsonObject { ["PseudonymKey"] = pseudonymKey };
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new LocalKeys(path, new Dictionary<string, string?>
        {
            ["Audit:Seal:Key"] = sealKey,
            ["Privacy:PseudonymKey"] = pseudonymKey,
        });
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
