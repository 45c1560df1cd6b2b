using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// Turns a raw line a child process wrote to stdout or stderr (outside Serilog) into a log event of
/// its runnable.
/// </summary>
/// <remarks>
/// <para>Levels: stdout lines are <see cref="LogEventLevel.Information"/>; stderr lines are
/// <see cref="LogEventLevel.Warning"/>, not Error, because programs and libraries write diagnostics,
/// progress and warnings to stderr as well as errors, and a real failure of a runnable is reported
/// through its exception and status anyway.</para>
/// <para>The event's template is <see cref="Template"/> (<c>{Line:l}</c>), so the line renders verbatim
/// (braces in it are not parsed as holes) and also sits in the <see cref="PumaLogProperties.Line"/>
/// property. Properties: <see cref="PumaLogProperties.Line"/>, <see cref="PumaLogProperties.Runnable"/>,
/// <see cref="PumaLogProperties.ProcessId"/>, <see cref="PumaLogProperties.Stream"/>
/// (<c>"stdout"</c>/<c>"stderr"</c>). One trailing carriage return is removed.</para>
/// </remarks>
internal static class ChildOutputLog
{
    /// <summary>The message template of captured lines.</summary>
    public const string Template = "{" + PumaLogProperties.Line + ":l}";

    private static readonly ScalarValue StdoutValue = new("stdout");
    private static readonly ScalarValue StderrValue = new("stderr");

    /// <summary>The level a captured line of <paramref name="stream"/> gets.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>Information for stdout, Warning for stderr.</returns>
    public static LogEventLevel LevelOf(ChildOutputStream stream) =>
        stream == ChildOutputStream.Stderr ? LogEventLevel.Warning : LogEventLevel.Information;

    /// <summary>The value of the <see cref="PumaLogProperties.Stream"/> property for <paramref name="stream"/>.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns><c>"stdout"</c> or <c>"stderr"</c>.</returns>
    public static string NameOf(ChildOutputStream stream) =>
        stream == ChildOutputStream.Stderr ? "stderr" : "stdout";

    /// <summary>Makes the log event of one captured line.</summary>
    /// <param name="line">The line, without its newline.</param>
    /// <param name="stream">The stream it came from.</param>
    /// <param name="runnableName">The runnable the child process runs.</param>
    /// <param name="processId">The child's process id.</param>
    /// <param name="timestamp">When the line was read; <see langword="null"/> for now.</param>
    /// <returns>The event.</returns>
    public static LogEvent ToLogEvent(string line, ChildOutputStream stream, string runnableName, int processId, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(runnableName);
        if (line.EndsWith('\r'))
            line = line[..^1];

        return new LogEvent(
            timestamp ?? DateTimeOffset.Now,
            LevelOf(stream),
            null,
            MessageTemplateCache.Parse(Template),
            new[]
            {
                new LogEventProperty(PumaLogProperties.Line, new ScalarValue(line)),
                new LogEventProperty(PumaLogProperties.Runnable, new ScalarValue(runnableName)),
                new LogEventProperty(PumaLogProperties.ProcessId, new ScalarValue(processId)),
                new LogEventProperty(PumaLogProperties.Stream, stream == ChildOutputStream.Stderr ? StderrValue : StdoutValue),
            });
    }
}
