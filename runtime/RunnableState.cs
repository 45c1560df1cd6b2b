namespace Puma.Runtime;

/// <summary>Where a runnable is in its life, as <see cref="RunnableInfo.State"/> reports it.</summary>
public enum RunnableState
{
    /// <summary>Added; the runtime has not started.</summary>
    NotStarted,

    /// <summary>Its first run is being started (a child process being spawned, its runnable rebuilt).</summary>
    Starting,

    /// <summary>Its loop runs and takes commands and requests.</summary>
    Running,

    /// <summary>It failed and its restart policy is starting it again.</summary>
    Restarting,

    /// <summary>It ended by itself: every input completed, or its produce step or <c>RunAsync</c> finished.</summary>
    Completed,

    /// <summary>It ended on Stop.</summary>
    Stopped,

    /// <summary>It failed for good (or ended because an input failed).</summary>
    Failed,

    /// <summary>It ignored Stop for the stop timeout and its child process was killed.</summary>
    Killed,

    /// <summary>It ignored Stop for the stop timeout in a thread; the runtime no longer waits for it.</summary>
    Abandoned,
}
