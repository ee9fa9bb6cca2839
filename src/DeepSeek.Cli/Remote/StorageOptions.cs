using System.CommandLine;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Configuration;

namespace DeepSeek.Cli.Remote;

/// <summary>
/// The options of commands that read the stack's storage directly (the audit log): the same settings the hosts read,
/// from environment variables (<c>AzureWebJobsStorage</c>, <c>Pipeline__Prefix</c>, <c>Audit__Seal__Key</c>, ...),
/// then a JSON settings file, then the explicit options. <c>deepseek local up</c> writes such a file.
/// </summary>
internal sealed class StorageOptions
{
    public Option<FileInfo?> Settings { get; } = new("--settings")
    {
        Description = "A JSON settings file ({\"AzureWebJobsStorage\":\"...\",\"Audit\":{\"Seal\":{\"Key\":\"...\"}}}); `local up` writes .local/settings.json.",
    };

    public Option<string?> Connection { get; } = new("--connection") { Description = "The storage connection string (else AzureWebJobsStorage)." };

    public Option<string?> Prefix { get; } = new("--prefix") { Description = "The queue and container name prefix (else Pipeline__Prefix, else moe)." };

    public void AddTo(Command command)
    {
        command.Add(Settings);
        command.Add(Connection);
        command.Add(Prefix);
    }

    public IConfiguration Configuration(ParseResult parse)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        if (parse.GetValue(Settings) is { } file)
        {
            if (!file.Exists)
            {
                throw new CliUsageException($"settings file '{file.FullName}' does not exist");
            }

            builder.AddJsonFile(file.FullName, optional: false);
        }

        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(Connection) is { } connection)
        {
            overrides[StorageClients.DefaultConnection] = connection;
        }

        if (parse.GetValue(Prefix) is { } prefix)
        {
            overrides[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Prefix)}"] = prefix;
        }

        return builder.AddInMemoryCollection(overrides).Build();
    }

    public static PipelineStorage Storage(IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[StorageClients.DefaultConnection]) && !configuration.GetSection(StorageClients.DefaultConnection).GetChildren().Any())
        {
            throw new CliUsageException("name the storage: --connection, --settings, or the AzureWebJobsStorage environment variable");
        }

        var (blobs, queues) = StorageClients.Create(configuration);
        var prefix = configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Prefix)}"] ?? new PipelineOptions().Prefix;
        return new PipelineStorage(blobs, queues, new StorageLayout(prefix));
    }
}
