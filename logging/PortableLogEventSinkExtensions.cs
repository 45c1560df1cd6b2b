using Serilog;
using Serilog.Configuration;
using Serilog.Events;

namespace Puma.Logging;

/// <summary><see cref="LoggerSinkConfiguration"/> extension for <see cref="PortableLogEventSink"/>.</summary>
internal static class PortableLogEventSinkExtensions
{
    /// <summary>Writes every event, as a <see cref="PortableLogEvent"/>, to <paramref name="forward"/>.</summary>
    /// <param name="writeTo">The sink configuration.</param>
    /// <param name="forward">Receives each converted event, synchronously.</param>
    /// <param name="restrictedToMinimumLevel">The minimum level of events passed to the delegate.</param>
    /// <returns>The logger configuration, for chaining.</returns>
    public static LoggerConfiguration PortableEvents(
        this LoggerSinkConfiguration writeTo,
        Action<PortableLogEvent> forward,
        LogEventLevel restrictedToMinimumLevel = LogEventLevel.Verbose)
    {
        ArgumentNullException.ThrowIfNull(writeTo);
        return writeTo.Sink(new PortableLogEventSink(forward), restrictedToMinimumLevel);
    }
}
