namespace Puma.Logging;

/// <summary>
/// Output templates for text sinks. Puma.Logging does not depend on Serilog.Sinks.Console; pass the
/// template to the sink yourself, e.g.
/// <c>.WriteTo.Console(outputTemplate: PumaLogTemplates.Console)</c>.
/// </summary>
public static class PumaLogTemplates
{
    /// <summary>
    /// Default console template: time, level, runnable, process id, message, exception.
    /// Events without <see cref="PumaLogProperties.Runnable"/> / <see cref="PumaLogProperties.ProcessId"/>
    /// render those columns as blanks.
    /// </summary>
    public const string Console =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Runnable,-12} {ProcessId,6} {Message:lj}{NewLine}{Exception}";
}
