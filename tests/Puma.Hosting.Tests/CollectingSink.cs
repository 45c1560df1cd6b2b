using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Puma.Hosting.Tests;

/// <summary>Keeps every event it receives.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> Events => _events;

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Waits until an event renders as <paramref name="message"/>; null after the timeout.</summary>
    public async Task<LogEvent?> WaitForAsync(string message)
    {
        var until = DateTime.UtcNow + TestHosts.Timeout;
        while (DateTime.UtcNow < until)
        {
            var found = _events.FirstOrDefault(e => e.RenderMessage() == message);
            if (found is not null)
                return found;
            await Task.Delay(10);
        }
        return null;
    }
}
