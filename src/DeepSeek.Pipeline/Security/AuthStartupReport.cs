using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Security;

/// <summary>Says at start how callers authenticate, and warns loudly when nobody has to.</summary>
internal sealed class AuthStartupReport(IOptions<AuthOptions> options, ILogger<AuthStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var value = options.Value;
        if (!value.Enabled)
        {
            PipelineLog.AuthDisabled(logger);
            return Task.CompletedTask;
        }

        var ways = new List<string>();
        if (value.UsesLocalKeys)
        {
            ways.Add("bearer tokens signed by local keys");
        }
        else if (value.EffectiveMetadataAddress is { } metadata)
        {
            ways.Add($"bearer tokens from the OpenID metadata at {metadata}");
        }

        if (value.TrustsPlatformHeader)
        {
            ways.Add("App Service Authentication's principal header");
        }

        PipelineLog.AuthConfigured(logger, string.Join("; ", ways));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
