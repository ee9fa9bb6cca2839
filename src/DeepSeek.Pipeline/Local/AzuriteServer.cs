using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DeepSeek.Pipeline.Local;

/// <summary>
/// The npm Azurite storage emulator as a child process: installed from the repository's package.json
/// when missing, started on loopback (in memory, or on disk), stopped by its own PID on dispose.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, documented; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteServer(Process process, int blobPort, int queuePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
    }

    /// <summary>Gets the blob endpoint port.</summary>
    public int BlobPort { get; }

    /// <summary>Gets the queue endpoint port.</summary>
    public int QueuePort { get; }

    /// <summary>Gets the emulator's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Gets a connection string for the emulator.</summary>
    public string ConnectionString => ConnectionStringFor(BlobPort, QueuePort);

    /// <summary>Builds the connection string of an Azurite on loopback.</summary>
    /// <param name="blobPort">The blob port.</param>
    /// <param name="queuePort">The queue port.</param>
    /// <returns>The connection string.</returns>
    public static string ConnectionStringFor(int blobPort, int queuePort) => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};");

    /// <summary>Installs Azurite if needed and starts it.</summary>
    /// <param name="repositoryRoot">The folder holding package.json (node_modules is installed there).</param>
    /// <param name="dataPath">A folder to persist to, or null for in-memory storage.</param>
    /// <param name="log">Where to report installation and start-up, or null.</param>
    /// <param name="blobPort">The blob port; 0 picks a free one.</param>
    /// <param name="queuePort">The queue port; 0 picks a free one.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">Node/npm is missing, installation failed, or Azurite did not start.</exception>
    public static async Task<AzuriteServer> StartAsync(string repositoryRoot, string? dataPath = null, TextWriter? log = null,
        int blobPort = 0, int queuePort = 0, CancellationToken cancellationToken = default)
    {
        var script = await EnsureInstalledAsync(repositoryRoot, log, cancellationToken).ConfigureAwait(false);
        blobPort = blobPort == 0 ? FreePort() : blobPort;
        queuePort = queuePort == 0 ? FreePort() : queuePort;
        int tablePort = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}", "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}" })
        {
            start.ArgumentList.Add(arg);
        }

        if (dataPath is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataPath);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(Path.GetFullPath(dataPath));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AzuriteServer(process, blobPort, queuePort);
        try
        {
            await WaitForPortsAsync(process, [blobPort, queuePort], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        log?.WriteLine($"Azurite (pid {process.Id}) blob :{blobPort} queue :{queuePort} {(dataPath is null ? "in memory" : "data in " + Path.GetFullPath(dataPath))}");
        return server;
    }

    /// <summary>Finds the repository root above the current folder, else above this program's folder.</summary>
    /// <returns>The root, or null.</returns>
    public static string? FindRepositoryRoot() =>
        FindRepositoryRoot(Environment.CurrentDirectory) ?? FindRepositoryRoot(AppContext.BaseDirectory);

    /// <summary>Finds the repository root (the folder with package.json and the solution) above a folder.</summary>
    /// <param name="start">Where to start looking.</param>
    /// <returns>The root, or null.</returns>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "DeepSeek.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static async Task<string> EnsureInstalledAsync(string root, TextWriter? log, CancellationToken ct)
    {
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (File.Exists(script))
        {
            return script;
        }

        if (!File.Exists(Path.Combine(root, "package.json")))
        {
            throw new InvalidOperationException($"No package.json in '{root}': cannot install Azurite.");
        }

        // Test assemblies start in parallel: one installs, the others wait for it and reuse the result.
        await using var installLock = await AcquireLockAsync(Path.Combine(root, "node_modules.install.lock"), ct).ConfigureAwait(false);
        if (File.Exists(script))
        {
            return script;
        }

        bool locked = File.Exists(Path.Combine(root, "package-lock.json"));
        log?.WriteLine($"Installing Azurite with npm {(locked ? "ci" : "install")} (once) ...");
        var npm = new ProcessStartInfo("npm") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { locked ? "ci" : "install", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(arg);
        }

        Process? process;
        try
        {
            process = Process.Start(npm);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("npm was not found: install Node.js 20 with npm (see the README's set-up).", ex);
        }

        using (process)
        {
            var stderr = process!.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0 || !File.Exists(script))
            {
                throw new InvalidOperationException($"npm could not install Azurite (exit {process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");
            }
        }

        return script;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(500, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A TCP port on loopback that is free right now.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortsAsync(Process process, int[] ports, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} during start-up (is port {port} taken?).");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
                    break;
                }
                catch (SocketException) when (clock.Elapsed < timeout)
                {
                    await Task.Delay(100, ct).ConfigureAwait(false);
                }
            }
        }
    }
}
