using Serilog;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// Writes events received from one child process into a parent <see cref="ILogger"/>, keeping their
/// timestamp, level, template, properties and exception, and tagging them with the child's runnable
/// and process id when they do not carry those already. The target logger's minimum level, filters,
/// enrichers and sinks apply as for any event (via <see cref="ILogger.Write(LogEvent)"/>).
/// </summary>
internal sealed class LogEventReplayer
{
    private readonly LogEventProperty _runnable;
    private readonly LogEventProperty _processId;
    private readonly LogEventProperty? _node;

    /// <summary>Creates a replayer for one child.</summary>
    /// <param name="target">The parent logger events are written to.</param>
    /// <param name="runnableName">The runnable the child runs; added as <see cref="PumaLogProperties.Runnable"/> when absent.</param>
    /// <param name="processId">The child's process id; added as <see cref="PumaLogProperties.ProcessId"/> when absent.</param>
    /// <param name="node">The cluster node the child runs on, added as <see cref="PumaLogProperties.Node"/>; null for a local child.</param>
    public LogEventReplayer(ILogger target, string runnableName, int processId, string? node = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runnableName);
        Target = target;
        RunnableName = runnableName;
        ProcessId = processId;
        _runnable = new LogEventProperty(PumaLogProperties.Runnable, new ScalarValue(runnableName));
        _processId = new LogEventProperty(PumaLogProperties.ProcessId, new ScalarValue(processId));
        _node = node is null ? null : new LogEventProperty(PumaLogProperties.Node, new ScalarValue(node));
    }

    /// <summary>The parent logger.</summary>
    public ILogger Target { get; }

    /// <summary>The child's runnable name.</summary>
    public string RunnableName { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Rebuilds <paramref name="portable"/> as a Serilog event, adding Runnable and ProcessId when absent.</summary>
    /// <param name="portable">The received event.</param>
    /// <returns>The event to write.</returns>
    public LogEvent ToLogEvent(PortableLogEvent portable)
    {
        ArgumentNullException.ThrowIfNull(portable);
        var logEvent = portable.ToLogEvent();
        logEvent.AddPropertyIfAbsent(_runnable);
        logEvent.AddPropertyIfAbsent(_processId);
        if (_node is not null)
            logEvent.AddPropertyIfAbsent(_node);
        return logEvent;
    }

    /// <summary>Writes a received event into <see cref="Target"/>.</summary>
    /// <param name="portable">The received event.</param>
    public void Replay(PortableLogEvent portable)
    {
        ArgumentNullException.ThrowIfNull(portable);
        if (Target.IsEnabled(portable.Level))
            Target.Write(ToLogEvent(portable));
    }

    /// <summary>
    /// Writes a raw line the child wrote to stdout or stderr into <see cref="Target"/>, as described on
    /// <see cref="ChildOutputLog"/>.
    /// </summary>
    /// <param name="line">The line, without its newline.</param>
    /// <param name="stream">The stream it came from.</param>
    public void ReplayOutputLine(string line, ChildOutputStream stream)
    {
        if (Target.IsEnabled(ChildOutputLog.LevelOf(stream)))
        {
            var logEvent = ChildOutputLog.ToLogEvent(line, stream, RunnableName, ProcessId);
            if (_node is not null)
                logEvent.AddPropertyIfAbsent(_node);
            Target.Write(logEvent);
        }
    }
}
