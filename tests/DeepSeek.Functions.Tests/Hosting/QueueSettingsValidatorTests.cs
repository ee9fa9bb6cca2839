using DeepSeek.Functions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DeepSeek.Functions.Tests.Hosting;

public sealed class QueueSettingsValidatorTests
{
    [Fact]
    public void Start_SettingsMatchThePrefix_Validates()
    {
        using var services = Services(new()
        {
            ["Pipeline:Prefix"] = "prod",
            ["MoeGateQueue"] = "prod-gate",
            ["MoeExpertQueue"] = "prod-expert-12",
            ["MoeAggregateQueue"] = "prod-aggregate",
            ["MoeJobsQueue"] = "prod-jobs",
        });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal("prod-expert-12", services.GetRequiredService<IOptions<QueueSettings>>().Value.MoeExpertQueue);
    }

    [Fact]
    public void Start_SettingsDisagreeWithThePrefix_FailsNamingEverySetting()
    {
        using var services = Services(new()
        {
            ["MoeGateQueue"] = "moe-gate",
            ["MoeExpertQueue"] = "moe-expert-01",
            ["MoeAggregateQueue"] = "other-aggregate",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            [
                "MoeExpertQueue is 'moe-expert-01'; with Pipeline:Prefix 'moe' it must be 'moe-expert-<shard>' (for example 'moe-expert-0').",
                "MoeAggregateQueue is 'other-aggregate'; with Pipeline:Prefix 'moe' it must be 'moe-aggregate'.",
                "MoeJobsQueue is not set; with Pipeline:Prefix 'moe' it must be 'moe-jobs'.",
            ],
            error.Failures);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        // These tests are about the queue settings: authentication is explicitly off so only they are checked.
        settings["Moe:Auth:Enabled"] = "false";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddMoeFunctionsApp(configuration).BuildServiceProvider();
    }
}
