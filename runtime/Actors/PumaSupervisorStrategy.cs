using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Util;

namespace Puma.Runtime.Actors;

/// <summary>
/// Puma's failure policies as an Akka <see cref="SupervisorStrategy"/>, one for one. Akka's
/// <see cref="OneForOneStrategy"/> counts restarts in a tumbling window and then stops only the child; Puma's
/// <see cref="RestartPolicy"/> counts them in a sliding window and then stops all. So with
/// <c>Restart(2, 1 s)</c> and failures at 0, 600, 1200 and 1300 ms the verdicts are restart, restart, restart
/// (the failure at 0 left the window), stop all.
/// </summary>
/// <remarks>
/// <see cref="FailureVerdict.StopAll"/> asks every sibling to stop with <see cref="StopRun"/> (gracefully: the
/// supervisor forces the ones that do not within its stop timeout) and stops the failed child.
/// <see cref="FailureVerdict.StopOne"/> stops only the failed child. The supervisor gives each failed child's
/// policy (<paramref name="policyOf"/>) and hears every verdict before it is carried out
/// (<paramref name="decided"/>, with the child's restarts within its window so far), to record the failure and count the restart.
/// </remarks>
/// <param name="policyOf">The policy that applies to this failure of this child (StopAll when a restart must not happen).</param>
/// <param name="decided">Called with each verdict before it is carried out.</param>
/// <param name="clock">The clock restarts are counted by.</param>
internal sealed class PumaSupervisorStrategy(
    Func<IActorRef, Exception, FailurePolicy> policyOf,
    Action<IActorRef, Exception, FailureVerdict, int> decided,
    TimeProvider clock) : SupervisorStrategy
{
    private readonly Dictionary<IActorRef, Queue<DateTime>> _restarts = [];

    /// <inheritdoc />
    public override IDecider Decider { get; } = new LocalOnlyDecider(_ => Directive.Restart);

    /// <summary>The verdict for a failure at <paramref name="now"/> under <paramref name="policy"/>, given the child's recent restarts.</summary>
    public static FailureVerdict Decide(FailurePolicy policy, Queue<DateTime> restarts, DateTime now) => policy switch
    {
        RestartPolicy restart => restart.TryRestart(restarts, now) ? FailureVerdict.Restart : FailureVerdict.StopAll,
        _ when policy == FailurePolicy.Continue => FailureVerdict.StopOne,
        _ => FailureVerdict.StopAll,
    };

    /// <inheritdoc />
    public override void ProcessFailure(IActorContext context, bool restart, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyCollection<ChildRestartStats> children)
    {
        if (!_restarts.TryGetValue(child, out var history))
            _restarts[child] = history = new Queue<DateTime>();
        var verdict = Decide(policyOf(child, cause), history, clock.GetUtcNow().UtcDateTime);
        decided(child, cause, verdict, history.Count);
        switch (verdict)
        {
            case FailureVerdict.Restart:
                RestartChild(child, cause, suspendFirst: false);
                break;
            case FailureVerdict.StopAll:
                foreach (var sibling in children)
                {
                    if (!sibling.Child.Equals(child))
                        sibling.Child.Tell(StopRun.Instance);
                }

                context.Stop(child);
                break;
            default:
                context.Stop(child);
                break;
        }
    }

    /// <inheritdoc />
    public override void HandleChildTerminated(IActorContext actorContext, IActorRef child, IEnumerable<IInternalActorRef> children) =>
        _restarts.Remove(child);

    /// <inheritdoc />
    protected override Directive Handle(IActorRef child, Exception exception) => Directive.Restart;

    /// <inheritdoc />
    public override ISurrogate ToSurrogate(ActorSystem system) =>
        throw new NotSupportedException("Puma's supervisor strategy is local: it is never serialized.");
}
