using Puma.Runnables;

namespace Puma.Runtime.Supervision;

/// <summary>A runnable added to the runtime, with its placement, policy, ports and current run.</summary>
internal sealed class RunnableSlot(Runnable runnable, Placement placement, FailurePolicy policy)
{
    public Runnable Runnable { get; } = runnable;

    public string Name { get; } = runnable.Name;

    public Placement Placement { get; } = placement;

    public FailurePolicy Policy { get; } = policy;

    public IReadOnlyList<RunnablePort> Ports { get; set; } = [];

    public IRunnableRun? Current { get; set; }

    public Queue<DateTime> Restarts { get; } = new();

    public int RestartCount { get; set; }

    /// <summary>Set once, when the slot is over: ended by itself, stopped, failed for good, or abandoned/killed.</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How a stop dealt with it: null while running or when it ended by itself.</summary>
    public string? ForcedEnd { get; set; }
}
