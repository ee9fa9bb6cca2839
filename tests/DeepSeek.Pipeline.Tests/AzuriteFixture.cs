using DeepSeek.Pipeline.Local;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace DeepSeek.Pipeline.Tests;

/// <summary>
/// One real Azurite for the whole test run: Testcontainers' container where a Docker engine answers,
/// else the repository's npm Azurite started (and installed if needed) and stopped by its PID. Never skipped.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private IContainer? _container;
    private AzuriteServer? _server;

    public string ConnectionString { get; private set; } = "";

    public string Kind { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is not null)
        {
            _container = new ContainerBuilder("mcr.microsoft.com/azure-storage/azurite:3.35.0")
                .WithCommand("azurite", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                    "--blobHost", "0.0.0.0", "--queueHost", "0.0.0.0", "--tableHost", "0.0.0.0")
                .WithPortBinding(10000, assignRandomHostPort: true)
                .WithPortBinding(10001, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(10000).UntilInternalTcpPortIsAvailable(10001))
                .Build();
            await _container.StartAsync();
            ConnectionString = AzuriteServer.ConnectionStringFor(_container.GetMappedPublicPort(10000), _container.GetMappedPublicPort(10001));
            Kind = "container";
            return;
        }

        var root = AzuriteServer.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Cannot find the repository root (package.json beside DeepSeek.Functions.sln) above " + AppContext.BaseDirectory);
        _server = await AzuriteServer.StartAsync(root);
        ConnectionString = _server.ConnectionString;
        Kind = "npm";
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
