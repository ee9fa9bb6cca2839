using DeepSeek.Functions.Hosting;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DeepSeek.Functions.Tests.Hosting;

public sealed class FunctionsAppServiceCollectionExtensionsTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["MoeGateQueue"] = "moe-gate",
        ["MoeExpertQueue"] = "moe-expert-0",
        ["MoeAggregateQueue"] = "moe-aggregate",
        ["MoeJobsQueue"] = "moe-jobs",
        ["Moe:Auth:Enabled"] = "false",
    };

    [Fact]
    public async Task Start_WithAppInsightsConnectionString_StartsWithTelemetry()
    {
        var settings = new Dictionary<string, string?>(s_settings)
        {
            [FunctionsAppServiceCollectionExtensions.AppInsightsSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        };
        using var host = Build(settings);

        await host.StartAsync();
        await host.StopAsync();

        Assert.NotNull(host.Services.GetService<TelemetryClient>());
    }

    [Fact]
    public async Task Start_WithoutAppInsightsConnectionString_StartsWithoutTelemetry()
    {
        using var host = Build(s_settings);

        await host.StartAsync();
        await host.StopAsync();

        Assert.Null(host.Services.GetService<TelemetryClient>());
    }

    [Fact]
    public async Task Start_AuthenticationNeitherConfiguredNorDisabled_FailsSayingHow()
    {
        var settings = new Dictionary<string, string?>(s_settings);
        settings.Remove("Moe:Auth:Enabled");
        using var host = Build(settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Moe:Auth:TenantId", ex.Message);
        Assert.Contains("Moe:Auth:Enabled=false", ex.Message);
    }

    [Fact]
    public async Task Start_EntraIdConfigured_Starts()
    {
        var settings = new Dictionary<string, string?>(s_settings)
        {
            ["Moe:Auth:Enabled"] = null,
            ["Moe:Auth:TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Moe:Auth:Audience"] = "api://deepseek-functions",
        };
        using var host = Build(settings);

        await host.StartAsync();
        await host.StopAsync();
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMoeFunctionsApp(builder.Configuration);
        return builder.Build();
    }
}
