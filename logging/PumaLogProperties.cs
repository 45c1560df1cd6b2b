using Serilog;
using Serilog.Core;

namespace Puma.Logging;

/// <summary>
/// Names of the log event properties Puma attaches to every event of a runnable, and helpers
/// that enrich an <see cref="ILogger"/> with them.
/// </summary>
public static class PumaLogProperties
{
    /// <summary>Property holding the name of the runnable that logged the event (a string scalar).</summary>
    public const string Runnable = "Runnable";

    /// <summary>Property holding the operating-system id of the process that logged the event (an <see cref="int"/> scalar).</summary>
    public const string ProcessId = "ProcessId";

    /// <summary>Property holding the cluster address of the node whose child process logged the event (a string scalar); absent for local runnables.</summary>
    public const string Node = "Node";

    /// <summary>
    /// Property holding the stream (<c>"stdout"</c> or <c>"stderr"</c>) a captured output line of a
    /// child process came from; see <see cref="ChildOutputLog"/>.
    /// </summary>
    public const string Stream = "Stream";

    /// <summary>Property holding the raw text of a captured output line of a child process; see <see cref="ChildOutputLog"/>.</summary>
    public const string Line = "Line";

    /// <summary>
    /// Returns a logger whose events carry <see cref="Runnable"/> = <paramref name="runnableName"/> and
    /// <see cref="ProcessId"/> = <paramref name="processId"/> (default: <see cref="Environment.ProcessId"/>).
    /// Both properties are added only when an event does not already carry them, so events that
    /// already name their origin (for example events replayed from a child process, or events whose
    /// template has a <c>{Runnable}</c> hole) keep it. When <c>ForRunnable</c> calls are nested the
    /// innermost one wins (Serilog runs the most recently added context enricher first).
    /// </summary>
    /// <param name="logger">The logger to enrich.</param>
    /// <param name="runnableName">Name of the runnable.</param>
    /// <param name="processId">Process id to attach; <see langword="null"/> for the current process.</param>
    /// <returns>The enriched logger.</returns>
    internal static ILogger ForRunnable(this ILogger logger, string runnableName, int? processId = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(runnableName);
        return logger.ForContext(new ILogEventEnricher[]
        {
            new RunnableEnricher(runnableName),
            new ProcessIdEnricher(processId ?? Environment.ProcessId),
        });
    }
}
