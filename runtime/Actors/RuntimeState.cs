using Puma.Logging;
using Puma.Runtime.Supervision;
using Serilog;

namespace Puma.Runtime.Actors;

/// <summary>
/// What a <see cref="PumaRuntime"/> and its <see cref="RuntimeActor"/> share: the runnables, how to start a run of
/// one, the failures so far, whether a stop was asked, and when everything ended. The actor writes it; the
/// runtime reads it to answer its callers.
/// </summary>
internal sealed class RuntimeState(
    IReadOnlyList<RunnableSlot> slots,
    TransportPlan transports,
    ILogger rootLogger,
    Func<RunnableSlot, IRunnableRun> startRun,
    TimeSpan stopTimeout,
    TimeProvider clock)
{
    private readonly List<RunnableFailedException> _failures = [];
    private readonly List<RunnableFailedException> _upstreamFailures = [];
    private volatile bool _stopRequested;

    public IReadOnlyList<RunnableSlot> Slots { get; } = slots;

    public TransportPlan Transports { get; } = transports;

    /// <summary>The bridges of the buffer ports of runnables on nodes; null when none is on a node.</summary>
    public Cluster.Supervisor.NodeBridgeHub? NodeBridges { get; init; }

    public ILogger Log { get; } = rootLogger.ForRunnable("supervisor");

    public TimeSpan StopTimeout { get; } = stopTimeout;

    public TimeProvider Clock { get; } = clock;

    /// <summary>Completes when the runtime actor has stopped: every runnable ended and every runnable actor stopped.</summary>
    public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once a stop (asked, or after a StopAll failure) began: no more restarts.</summary>
    public bool StopRequested
    {
        get => _stopRequested;
        set => _stopRequested = value;
    }

    public IRunnableRun StartRun(RunnableSlot slot) => startRun(slot);

    public void AddFailure(RunnableFailedException failure, bool upstream)
    {
        lock (_failures)
            (upstream ? _upstreamFailures : _failures).Add(failure);
    }

    /// <summary>What a stop did, from how each runnable ended: killed, abandoned, or stopped (every other end).</summary>
    public StopResult StopResult() => new(
        Slots.Where(s => s.FinalState is not (RunnableState.Killed or RunnableState.Abandoned)).Select(s => s.Name).ToArray(),
        Slots.Where(s => s.FinalState == RunnableState.Killed).Select(s => s.Name).ToArray(),
        Slots.Where(s => s.FinalState == RunnableState.Abandoned).Select(s => s.Name).ToArray());

    /// <summary>Throws the first failure, else the first consequence (an input that failed, a buffer's other end that died).</summary>
    public void ThrowIfFailed()
    {
        lock (_failures)
        {
            if (_failures.Count > 0)
                throw _failures[0];
            if (_upstreamFailures.Count > 0)
                throw _upstreamFailures[0];
        }
    }
}
