using System.Threading.Channels;
using Akka.Actor;
using Puma.Buffers;
using Puma.Buffers.SharedMemory;
using Puma.Logging;
using Puma.Runnables;
using Puma.Runnables.Loop;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Actors;

/// <summary>
/// The supervisor of one <see cref="PumaRuntime"/>: one <see cref="RunnableActor"/> child per runnable, watched;
/// failures judged by <see cref="PumaSupervisorStrategy"/> under each runnable's policy; every runnable's end
/// recorded once (its state, its failure, its ports released); stops. It stops itself once every runnable has
/// ended and every child has stopped, which completes <see cref="RuntimeState.Ended"/>.
/// </summary>
/// <remarks>Order of work: start the children; record each end (a child's report, a verdict, a forced end); stop when asked or after a StopAll failure; end.</remarks>
internal sealed partial class RuntimeActor : UntypedActor
{
    private readonly RuntimeState _runtime;
    private readonly PumaSupervisorStrategy _strategy;
    private readonly Dictionary<IActorRef, RunnableSlot> _slotOf = [];

    public RuntimeActor(RuntimeState runtime)
    {
        _runtime = runtime;
        _strategy = new PumaSupervisorStrategy(PolicyOf, OnVerdict, runtime.Clock);
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => _strategy;

    /// <inheritdoc />
    protected override void PreStart()
    {
        foreach (var slot in _runtime.Slots)
        {
            var child = Context.ActorOf(Props.Create(() => new RunnableActor(slot, _runtime)), ActorNames.ForRunnable(slot.Name));
            Context.Watch(child);
            slot.Actor = child;
            _slotOf[child] = slot;
        }

        StopWhenAllEnded();
    }

    /// <inheritdoc />
    protected override void PostStop() => _runtime.Ended.TrySetResult();

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, Self));
                break;
            case RunnableEnded ended:
                Finish(ended.Slot, ended.Outcome, ended.ProcessId);
                Context.Stop(ended.Slot.Actor!);
                break;
            case StopAll stop:
                BeginStop(stop);
                break;
            case StopTimedOut:
                ForceEnds();
                break;
            case ForcedEnds forced:
                OnForcedEnds(forced);
                break;
            case Terminated terminated:
                _slotOf.Remove(terminated.ActorRef);
                StopWhenAllEnded();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>The policy for this failure: a restart is off the table while stopping, or when a killed child's ports cannot be handed back.</summary>
    private FailurePolicy PolicyOf(IActorRef child, Exception cause)
    {
        var slot = _slotOf[child];
        if (cause is not RunFailedException failed)
            return slot.Policy == FailurePolicy.Continue ? FailurePolicy.Continue : FailurePolicy.StopAll;

        // A child that died without reporting (kill -9, a native crash) could not hand its ring slots and writer
        // references back: a restart could not attach them, so its buffers complete with the error.
        var cannotHandBack = failed.Outcome.Error is ChildProcessDiedException && slot.Ports.Any(p => p.BufferEnd is not null);
        return slot.Policy is RestartPolicy && (_runtime.StopRequested || cannotHandBack) ? FailurePolicy.StopAll : slot.Policy;
    }

    private void OnVerdict(IActorRef child, Exception cause, FailureVerdict verdict, int restartsInWindow)
    {
        var slot = _slotOf[child];
        var failed = cause as RunFailedException;
        var outcome = failed?.Outcome ?? new LoopOutcome(LoopOutcomeKind.Failed, cause);
        if (verdict == FailureVerdict.Restart)
        {
            slot.RestartCount++;
            var restart = (RestartPolicy)slot.Policy;
            _runtime.Log.Warning(outcome.Error, "Runnable {Failed} failed; restarting it ({Restart} of {Max} within {Window})",
                slot.Name, restartsInWindow, restart.MaxRestarts, restart.Window);
            return;
        }

        Finish(slot, outcome, failed?.ProcessId ?? slot.LastProcessId);
    }

    /// <summary>Records how a runnable ended, once: its state and failure, its ports released; a StopAll failure stops the others.</summary>
    private void Finish(RunnableSlot slot, LoopOutcome outcome, int processId)
    {
        if (slot.Finished.Task.IsCompleted || slot.Forced)
            return;
        if (outcome.Kind == LoopOutcomeKind.Failed && _runtime.StopRequested && IsEndOfStoppedPeer(outcome.Error))
            outcome = LoopOutcome.Stopped;
        slot.FinalState = outcome.Kind switch
        {
            // Once a stop began, a runnable that completes has been stopped: its inputs ended because the runnables
            // upstream stopped, which may reach it before its own Stop does (a child process's Stop frame).
            LoopOutcomeKind.Completed when _runtime.StopRequested => RunnableState.Stopped,
            LoopOutcomeKind.Completed => RunnableState.Completed,
            LoopOutcomeKind.Stopped => RunnableState.Stopped,
            _ => RunnableState.Failed,
        };
        var stopAll = false;
        if (outcome.Kind is LoopOutcomeKind.Failed or LoopOutcomeKind.UpstreamFailed)
        {
            var failed = outcome.Kind == LoopOutcomeKind.Failed;
            _runtime.AddFailure(new RunnableFailedException(slot.Name, processId, slot.Placement, outcome.Error!), upstream: !failed || IsConsequence(outcome.Error));
            if (failed)
            {
                _runtime.Log.Error(outcome.Error, "Runnable {Failed} failed (policy {Policy})", slot.Name, slot.Policy);
                stopAll = slot.Policy != FailurePolicy.Continue;
            }
            else
            {
                _runtime.Log.Warning("Runnable {Ended} ended because an input failed: {Error}", slot.Name, outcome.Error!.Message);
            }
        }

        ReleasePorts(slot, outcome.Error);
        _runtime.NodeBridges?.Close(slot.Name); // a runnable on a node: its ports' bridges take no more runs
        if (slot.OutOfProcess && outcome.Kind == LoopOutcomeKind.Failed)
        {
            foreach (var port in slot.Ports)
            {
                if (port.BufferEnd is { IsWriter: false } end)
                    _runtime.Transports.CloseReaderSlot(end.Buffer.Name, slot.Name, end.Index);
            }
        }

        slot.Finished.TrySetResult();
        if (stopAll && !_runtime.StopRequested)
            Self.Tell(new StopAll(_runtime.StopTimeout, null));
        CompleteStopIfAllEnded();
    }

    /// <summary>
    /// A failure caused by another end of a buffer dying: a writer whose readers' processes died, a reader whose
    /// writer's process died. The dead runnable's own failure is the cause, so <see cref="PumaRuntime.WaitAsync"/>
    /// reports that one first, whichever was recorded first (the buffer may notice before the supervisor does).
    /// The policy still applies to this runnable as to any failure.
    /// </summary>
    /// <remarks>A child process's failure arrives as a <see cref="RemoteException"/> carrying the type's name.</remarks>
    internal static bool IsConsequence(Exception? error) => IsEither(error, typeof(PeerProcessDiedException), typeof(BufferReaderGoneException));

    /// <summary>
    /// A failure a stop causes by itself: a write to a buffer whose readers this stop already ended (their loop ended
    /// before this runnable's Stop arrived). Once a stop began, such a runnable counts as stopped, not failed.
    /// </summary>
    internal static bool IsEndOfStoppedPeer(Exception? error) => IsEither(error, typeof(ChannelClosedException), typeof(BufferReaderGoneException));

    /// <summary>
    /// Whether <paramref name="error"/> is a <paramref name="first"/> or a <paramref name="second"/> (or derives from one),
    /// or a child process's failure carrying exactly one of their names (a <see cref="RemoteException"/>).
    /// </summary>
    private static bool IsEither(Exception? error, Type first, Type second) => error switch
    {
        null => false,
        RemoteException remote => remote.RemoteType == first.FullName || remote.RemoteType == second.FullName,
        _ => first.IsInstanceOfType(error) || second.IsInstanceOfType(error),
    };

    private static void ReleasePorts(RunnableSlot slot, Exception? error)
    {
        foreach (var port in slot.Ports)
        {
            if (port.BufferEnd is { } end)
            {
                if (end.IsWriter)
                    end.Buffer.ReleaseWriter(error);
                else
                    end.Buffer.ReleaseReader(slot.Name, end.Index);
            }
            else
            {
                port.TryComplete(error);
            }
        }
    }

    private void StopWhenAllEnded()
    {
        if (_slotOf.Count == 0 && _runtime.Slots.All(s => s.Finished.Task.IsCompleted))
            Context.Stop(Self);
    }
}
