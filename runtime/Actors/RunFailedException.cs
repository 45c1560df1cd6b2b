using Puma.Runnables.Loop;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Actors;

/// <summary>
/// Thrown by a <see cref="RunnableActor"/> when its run failed, so that its supervisor's
/// <see cref="PumaSupervisorStrategy"/> decides: restart it, stop it, or stop all.
/// </summary>
internal sealed class RunFailedException(RunnableSlot slot, LoopOutcome outcome, int processId)
    : Exception($"Runnable '{slot.Name}' failed: {outcome.Error?.Message}", outcome.Error)
{
    /// <summary>The runnable that failed.</summary>
    public RunnableSlot Slot { get; } = slot;

    /// <summary>How its run ended.</summary>
    public LoopOutcome Outcome { get; } = outcome;

    /// <summary>The process the run was in (0 when it never started).</summary>
    public int ProcessId { get; } = processId;
}
