using DeepSeek.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DeepSeek.Functions.Hosting;

/// <summary>The function app's services: telemetry, the pipeline, and the start-up check of the trigger settings.</summary>
internal static class FunctionsAppServiceCollectionExtensions
{
    /// <summary>The setting that turns on Application Insights in the worker.</summary>
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IServiceCollection AddMoeFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The exporter needs a connection string; a local run without one simply sends no telemetry.
        if (!string.IsNullOrWhiteSpace(configuration[AppInsightsSetting]))
        {
            var credential = AppInsightsCredential.From(configuration[AppInsightsCredential.Setting]);
            services.AddApplicationInsightsTelemetryWorkerService(options => options.Credential = credential);
        }

        services.AddMoePipeline(configuration);
        services.AddOptions<QueueSettings>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueSettings>, QueueSettingsValidator>());
        return services;
    }
}
