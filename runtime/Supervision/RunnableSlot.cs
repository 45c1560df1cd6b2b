using Puma.Runnables;
using Puma.Runnables.Loop;

namespace Puma.Runtime.Supervision;

/// <summary>A runnable added to the runtime, with its placement, policy, ports and current run.</summary>
internal sealed class RunnableSlot(Runnable runnable, Placement placement, FailurePolicy policy, Cluster.NodePlacement? node = null)
{
    /// <summary>Which nodes may take it, for <see cref="Placement.Node"/>; null otherwise.</summary>
    public Cluster.NodePlacement? NodePlacement { get; } = node;

    /// <summary>True when its runs live in another process (a child here or on a node).</summary>
    public bool OutOfProcess => Placement != Placement.Thread;

    public Runnable Runnable { get; } = runnable;

    public string Name { get; } = runnable.Name;

    public Placement Placement { get; } = placement;

    public FailurePolicy Policy { get; } = policy;

    public IReadOnlyList<RunnablePort> Ports { get; set; } = [];

    public IRunnableRun? Current { get; set; }

    /// <summary>The shared-memory segment its child counts its metrics in; null for a thread runnable or with metrics off.</summary>
    public string? MetricsSegmentName { get; set; }

    /// <summary>The loop counters its child writes in that segment (closed by the supervisor when a child exits); null without a segment.</summary>
    public Runnables.Loop.RunnableCounters? ChildLoopCounters { get; set; }

    /// <summary>Set when its actor has started its first run (or failed to start it).</summary>
    public TaskCompletionSource FirstRunStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Its actor under the runtime's actor; null until the runtime started.</summary>
    public Akka.Actor.IActorRef? Actor { get; set; }

    public int RestartCount { get; set; }

    /// <summary>Set once, when the slot is over: ended by itself, stopped, failed for good, or abandoned/killed (see <see cref="FinalState"/>).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once a stop's timeout passed with it still running: the forced end (kill or abandon) records how it ended.</summary>
    public bool Forced { get; set; }

    /// <summary>How it ended for good: null until <see cref="Finished"/> is set.</summary>
    public RunnableState? FinalState { get; set; }

    /// <summary>The process of its last run that had one (kept after the run ends).</summary>
    public int LastProcessId { get; set; }

    /// <summary>The node its last run on a node ran on (kept after the run ends).</summary>
    public string? LastNode { get; set; }

    /// <summary>How its last child process ended; null for a thread runnable or while none has ended.</summary>
    public ChildExitStatus? LastExit { get; set; }

    /// <summary>A snapshot for <see cref="PumaRuntime.Runnables"/>.</summary>
    public RunnableInfo Describe(bool started)
    {
        var run = Current;
        var state = FinalState
            ?? (!started ? RunnableState.NotStarted
                : run is { IsRunning: true } ? RunnableState.Running
                : run is { Completion.IsCompleted: true } ended ? Ending(ended.Completion.Result)
                : RestartCount > 0 ? RunnableState.Restarting
                : RunnableState.Starting);
        var pid = run?.ProcessId is > 0 and var live ? live : LastProcessId;
        return new RunnableInfo(Name, Placement, state, pid, RestartCount, run?.Exit ?? LastExit) { Node = (run as ProcessRun)?.Node ?? LastNode };
    }

    /// <summary>
    /// The state of a run that ended while the supervisor has not yet judged it (a moment: the verdict is the next
    /// message): a failure under a restart policy is <see cref="RunnableState.Restarting"/> already, anything else
    /// shows how it ended (a completion seen while stopping becomes <see cref="RunnableState.Stopped"/> with the verdict).
    /// </summary>
    private RunnableState Ending(LoopOutcome outcome) => outcome.Kind switch
    {
        LoopOutcomeKind.Failed when Policy is RestartPolicy => RunnableState.Restarting,
        LoopOutcomeKind.Completed => RunnableState.Completed,
        LoopOutcomeKind.Stopped => RunnableState.Stopped,
        _ => RunnableState.Failed,
    };
}
