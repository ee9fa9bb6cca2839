using DeepSeek.Pipeline.Audit;
using Microsoft.Azure.Functions.Worker;

namespace DeepSeek.Functions.Audit;

/// <summary>Seals the audit chain heads on the schedule in the app setting <c>AuditSealSchedule</c> (NCRONTAB, for example every 5 minutes).</summary>
/// <param name="sealer">The sealer.</param>
public sealed class SealAuditFunction(AuditSealer sealer)
{
    /// <summary>The timer trigger's schedule expression.</summary>
    public const string Schedule = "%AuditSealSchedule%";

    /// <summary>Seals every chain head that moved since its last seal.</summary>
    /// <param name="timer">The timer.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    /// <returns>A task.</returns>
    [Function(nameof(SealAudit))]
    public Task SealAudit([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        sealer.SealQuietlyAsync(cancellationToken);
}
