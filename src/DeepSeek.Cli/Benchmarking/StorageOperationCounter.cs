using System.Diagnostics.Tracing;

namespace DeepSeek.Cli.Benchmarking;

/// <summary>
/// Counts every HTTP request the Azure SDK sends from this process (our clients and the WebJobs listener's
/// alike) by listening to the SDK's own "Azure-Core" event source: storage operations, polling included.
/// </summary>
internal sealed class StorageOperationCounter : EventListener
{
    private const int RequestEventId = 1;
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Azure-Core")
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == RequestEventId)
        {
            Interlocked.Increment(ref _count);
        }
    }
}
