using Puma.Runnables;

namespace Puma.Runtime;

/// <summary>A snapshot of one runnable, as <see cref="PumaRuntime.Runnables"/> and <see cref="PumaRuntime.GetRunnable"/> report it.</summary>
/// <param name="Name">The runnable's name.</param>
/// <param name="Placement">Where it runs.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="ProcessId">
/// The process its current (or last) run lives in: the supervisor's for a thread runnable, the child's for a
/// process runnable; 0 while the first child is not yet spawned.
/// </param>
/// <param name="RestartCount">How many times its failure policy restarted it.</param>
/// <param name="LastExit">How its last child process ended; null for a thread runnable or while no child has ended.</param>
public sealed record RunnableInfo(string Name, Placement Placement, RunnableState State, int ProcessId, int RestartCount, ChildExitStatus? LastExit)
{
    /// <summary>The cluster address of the node its current (or last) run is on, for <see cref="Placement.Node"/>; null otherwise.</summary>
    public string? Node { get; init; }
}
