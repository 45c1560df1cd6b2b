namespace Puma.Runnables;

/// <summary>Where a runnable runs. The same runnable class runs unchanged in either.</summary>
public enum Placement
{
    /// <summary>In the supervisor's process: the runnable's loop runs as a task on its thread pool.</summary>
    Thread = 0,

    /// <summary>In a child process of its own, started and supervised by the runtime.</summary>
    Process = 1,

    /// <summary>
    /// In a child process on a node of the runtime's cluster (a <c>Puma.Node</c> agent), chosen by role: add it with a
    /// <c>NodePlacement</c>. Everything else behaves as for <see cref="Process"/>.
    /// </summary>
    Node = 2,
}
