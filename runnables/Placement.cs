namespace Puma.Runnables;

/// <summary>Where a runnable runs. The same runnable class runs unchanged in either.</summary>
public enum Placement
{
    /// <summary>In the supervisor's process: the runnable's loop runs as a task on its thread pool.</summary>
    Thread = 0,

    /// <summary>In a child process of its own, started and supervised by the runtime.</summary>
    Process = 1,
}
