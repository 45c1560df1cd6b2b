using Serilog;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// Detects the minimum level of a logger so that the parent's level can be applied at the source,
/// in a child process (e.g. <c>new LoggerConfiguration().MinimumLevel.Is(level)</c>).
/// </summary>
internal static class PumaMinimumLevel
{
    /// <summary>
    /// Returned by <see cref="MinimumLevelOf"/> when no level is enabled: one above
    /// <see cref="LogEventLevel.Fatal"/>. A Serilog logger configured with
    /// <c>MinimumLevel.Is(PumaMinimumLevel.None)</c> drops every event.
    /// </summary>
    public const LogEventLevel None = (LogEventLevel)((int)LogEventLevel.Fatal + 1);

    /// <summary>
    /// Returns the lowest level for which <see cref="ILogger.IsEnabled"/> is true, or <see cref="None"/>
    /// when no level is enabled. The result is a snapshot: a later change of a
    /// <c>LoggingLevelSwitch</c> is not seen. Level overrides by source context and sink-level
    /// restrictions are not reflected, only what <see cref="ILogger.IsEnabled"/> reports.
    /// </summary>
    /// <param name="logger">The logger to probe.</param>
    /// <returns>The minimum enabled level, or <see cref="None"/>.</returns>
    public static LogEventLevel MinimumLevelOf(this ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        for (var level = LogEventLevel.Verbose; level <= LogEventLevel.Fatal; level++)
        {
            if (logger.IsEnabled(level))
                return level;
        }

        return None;
    }
}
