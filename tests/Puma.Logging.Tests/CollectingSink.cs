using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Puma.Logging.Tests;

/// <summary>An in-memory sink that keeps every event it receives.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    public LogEvent Single() => Assert.Single(Events);

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public static (Logger Logger, CollectingSink Sink) CreateLogger(LogEventLevel minimum = LogEventLevel.Verbose)
    {
        var sink = new CollectingSink();
        var logger = new LoggerConfiguration().MinimumLevel.Is(minimum).WriteTo.Sink(sink).CreateLogger();
        return (logger, sink);
    }
}
