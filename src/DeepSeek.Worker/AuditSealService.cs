using DeepSeek.Pipeline.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DeepSeek.Worker;

/// <summary>Seals the audit chain heads every <see cref="AuditOptions.SealInterval"/> (the Functions app does the same on a timer trigger).</summary>
internal sealed class AuditSealService(AuditSealer sealer, IOptions<AuditOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sealer.Enabled)
        {
            // Logs once that sealing is off, then stays idle.
            await sealer.SealAsync(all: false, stoppingToken).ConfigureAwait(false);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SealInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await sealer.SealQuietlyAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
