using Serilog.Core;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// A Serilog sink that converts every event to a <see cref="PortableLogEvent"/> and hands it,
/// synchronously and on the logging thread, to a delegate (in a child process the runtime writes it
/// onto the control channel). Being synchronous, an event is handed over before the logging call
/// returns, so events logged before a crash are not held in a sink-side queue. Exceptions thrown by the
/// delegate propagate to Serilog (which reports them to <c>SelfLog</c> unless the sink is audited).
/// </summary>
internal sealed class PortableLogEventSink : ILogEventSink
{
    private readonly Action<PortableLogEvent> _forward;

    /// <summary>Creates the sink.</summary>
    /// <param name="forward">Receives each converted event.</param>
    public PortableLogEventSink(Action<PortableLogEvent> forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        _forward = forward;
    }

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        _forward(PortableLogEvent.FromLogEvent(logEvent));
    }
}
