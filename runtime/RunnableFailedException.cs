using Puma.Runnables;

namespace Puma.Runtime;

/// <summary>
/// A runnable failed. Names the runnable, its process and placement; the original exception (or,
/// from a child process, its type, message and stack trace) is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class RunnableFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="runnableName">The runnable that failed.</param>
    /// <param name="processId">The process it ran in.</param>
    /// <param name="placement">Where it ran.</param>
    /// <param name="error">What it threw.</param>
    public RunnableFailedException(string runnableName, int processId, Placement placement, Exception error)
        : base($"Runnable '{runnableName}' (pid {processId}, {placement}) failed: {error.GetType().FullName}: {error.Message}", error)
    {
        RunnableName = runnableName;
        ProcessId = processId;
        Placement = placement;
    }

    /// <summary>The runnable that failed.</summary>
    public string RunnableName { get; }

    /// <summary>The id of the process it ran in.</summary>
    public int ProcessId { get; }

    /// <summary>Where it ran.</summary>
    public Placement Placement { get; }
}
