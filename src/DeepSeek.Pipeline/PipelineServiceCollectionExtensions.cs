using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Experts;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Ingress;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Privacy;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Security;
using DeepSeek.Pipeline.Stages;
using DeepSeek.Pipeline.Statistics;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline;

/// <summary>Registers the pipeline in a host: the same services for the Functions app and the worker.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>Adds options (validated at start), storage clients, the model registry, stages, ingress, readers and access control.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// The configuration (storage connection <c>AzureWebJobsStorage</c>, sections <c>Pipeline</c>, <c>Moe:Runtime</c>,
    /// <c>Moe:Batching</c>, <c>Moe:Auth</c>, <c>Audit</c>, <c>Privacy</c> and <c>Stats</c>, and App Service's <c>WEBSITE_AUTH_ENABLED</c>).
    /// </param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddMoePipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Pipeline:Backend may name native-cpu or native-cuda: both hosts offer every backend.
        Moe.Native.Engine.NativeBackends.Register();
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExpertRuntimeOptions>().Bind(configuration.GetSection(ExpertRuntimeOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BatchingOptions>().Bind(configuration.GetSection(BatchingOptions.SectionName)).ValidateOnStart()
            .Validate(o => { o.Validate(); return true; });
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName))
            .PostConfigure(o =>
            {
                // A key present without a value binds as false; a safeguard may only be turned off by the literal "false".
                var section = configuration.GetSection(AuthOptions.SectionName);
                o.Enabled = !IsFalse(section[nameof(AuthOptions.Enabled)]);
                o.RequireHttpsMetadata = !IsFalse(section[nameof(AuthOptions.RequireHttpsMetadata)]);
                o.PlatformAuthenticationActive = string.Equals(configuration[AuthOptions.PlatformAuthSetting], "true", StringComparison.OrdinalIgnoreCase);
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StatsOptions>().Bind(configuration.GetSection(StatsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageLayout>();
        services.TryAddSingleton(sp =>
        {
            var (blobs, queues) = StorageClients.Create(configuration);
            return new PipelineStorage(blobs, queues, sp.GetRequiredService<StorageLayout>());
        });
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<PayloadReader>();
        services.TryAddSingleton<StageFailures>();
        services.TryAddSingleton<Pseudonymizer>();
        services.TryAddSingleton<Redactor>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<AuditInputKeeper>();
        services.TryAddSingleton<AuditSealer>();
        services.TryAddSingleton<AuditReplayer>();
        services.TryAddSingleton<UsageStatistics>();
        services.TryAddSingleton<OutcomeWriter>();
        services.TryAddSingleton<GateStage>();
        services.TryAddSingleton<ExpertStage>();
        services.TryAddSingleton<AggregateStage>();
        services.TryAddSingleton<PoisonStage>();
        services.TryAddSingleton<InferenceSubmitter>();
        services.TryAddSingleton<RequestReader>();
        services.TryAddSingleton<Jobs.JobService>();
        services.TryAddSingleton<Jobs.JobStage>();
        services.TryAddSingleton<Jobs.JobRecovery>();
        services.TryAddSingleton<BearerTokenValidator>();
        services.TryAddSingleton<RequestAuthenticator>();
        services.TryAddSingleton<ModelAccessPolicy>();
        services.TryAddSingleton<SecurityAuditWriter>();
        services.TryAddSingleton(sp => new AccessControl(sp.GetRequiredService<RequestAuthenticator>(), sp.GetRequiredService<ModelAccessPolicy>(),
            sp.GetRequiredService<SecurityAuditWriter>(), sp.GetRequiredService<IOptions<AuthOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuthStartupReport>());
        services.TryAddSingleton<Http.InferenceApi>();
        services.TryAddSingleton<Http.JobsApi>();
        services.TryAddSingleton<Http.StatsApi>();
        return services;
    }

    private static bool IsFalse(string? value) => string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
}
