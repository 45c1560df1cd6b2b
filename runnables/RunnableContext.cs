namespace Puma.Runnables;

/// <summary>A runnable's link to its supervisor, available through <c>Context</c> while it runs.</summary>
public sealed class RunnableContext
{
    private readonly Action<object> _statusSink;

    /// <summary>Creates a context; the runtime does this for each run of a runnable.</summary>
    /// <param name="name">The runnable's name.</param>
    /// <param name="placement">Where it runs.</param>
    /// <param name="restartCount">How many times it has been restarted before this run.</param>
    /// <param name="stopping">Cancelled when the runnable is asked to stop.</param>
    /// <param name="statusSink">Receives the status reports.</param>
    public RunnableContext(string name, Placement placement, int restartCount, CancellationToken stopping, Action<object> statusSink)
    {
        Name = name;
        Placement = placement;
        RestartCount = restartCount;
        Stopping = stopping;
        _statusSink = statusSink ?? throw new ArgumentNullException(nameof(statusSink));
    }

    /// <summary>The runnable's name.</summary>
    public string Name { get; }

    /// <summary>Where the runnable runs.</summary>
    public Placement Placement { get; }

    /// <summary>The id of the process the runnable runs in.</summary>
    public int ProcessId { get; } = Environment.ProcessId;

    /// <summary>How many times the runnable was restarted before this run (0 on the first run).</summary>
    public int RestartCount { get; }

    /// <summary>Cancelled when the runnable is asked to stop.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>
    /// Streams a status value to the supervisor, where it appears in <c>PumaRuntime.Status</c>.
    /// Every report is delivered in order (a stream, not only the latest value).
    /// </summary>
    /// <param name="status">The status value; across processes it travels as JSON.</param>
    public void ReportStatus(object status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _statusSink(status);
    }
}
