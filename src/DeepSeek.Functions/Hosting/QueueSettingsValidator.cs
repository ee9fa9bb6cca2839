using System.Globalization;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Options;

namespace DeepSeek.Functions.Hosting;

/// <summary>
/// Checks at start that the trigger settings name the queues the pipeline sends to; a mismatch would
/// leave messages unread forever, so every disagreement is reported at once.
/// </summary>
internal sealed class QueueSettingsValidator(StorageLayout layout) : IValidateOptions<QueueSettings>
{
    private const string ExpertInfix = "-expert-";

    public ValidateOptionsResult Validate(string? name, QueueSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Expect(errors, nameof(QueueSettings.MoeGateQueue), options.MoeGateQueue, layout.GateQueue);
        if (!IsExpertQueue(options.MoeExpertQueue))
        {
            errors.Add($"{nameof(QueueSettings.MoeExpertQueue)} is {Show(options.MoeExpertQueue)}; with Pipeline:Prefix '{layout.Prefix}' it must be "
                + $"'{layout.Prefix}{ExpertInfix}<shard>' (for example '{layout.ExpertQueue(0)}').");
        }

        Expect(errors, nameof(QueueSettings.MoeAggregateQueue), options.MoeAggregateQueue, layout.AggregateQueue);
        Expect(errors, nameof(QueueSettings.MoeJobsQueue), options.MoeJobsQueue, layout.JobsQueue);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void Expect(List<string> errors, string setting, string? actual, string expected)
    {
        if (actual != expected)
        {
            errors.Add($"{setting} is {Show(actual)}; with Pipeline:Prefix '{layout.Prefix}' it must be '{expected}'.");
        }
    }

    private bool IsExpertQueue(string? queue)
    {
        var start = layout.Prefix + ExpertInfix;
        return queue is not null && queue.StartsWith(start, StringComparison.Ordinal)
            && int.TryParse(queue.AsSpan(start.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int shard)
            && layout.ExpertQueue(shard) == queue;
    }

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "not set" : $"'{value}'";
}
