using Akka.Actor;
using Akka.Event;
using Puma.Runnables.Loop;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Actors;

/// <summary>
/// A command for the runnable, from <see cref="PumaRuntime.SendAsync"/> (already checked against its handlers). One that
/// reaches the actor after the runnable ended (a send racing its end) is not an Akka dead letter: <see cref="AkkaLogRouter"/>
/// logs it as a dropped command, in Puma's words, like any command a runnable could not take. <see cref="Recipient"/>
/// is the runnable's actor, named here because Akka reports a suppressed dead letter with its own dead-letters actor as
/// the recipient.
/// </summary>
internal sealed record RunnableCommand(object Command, IActorRef Recipient) : IDeadLetterSuppression;

/// <summary>A request for the runnable, from <see cref="PumaRuntime.AskAsync{TReply}"/>; answered with a <see cref="RunnableReply"/>.</summary>
internal sealed record RunnableRequest(object Request, Type ReplyType, CancellationToken CancellationToken);

/// <summary>The answer to a <see cref="RunnableRequest"/>: the handler's reply, or why there is none.</summary>
internal sealed record RunnableReply(object? Value, Exception? Error);

/// <summary>Asks the runnable's current run to stop gracefully. The supervisor's own messages are not logged as dead letters when their actor has stopped already (commands are).</summary>
internal sealed record StopRun : IDeadLetterSuppression
{
    public static readonly StopRun Instance = new();
}

/// <summary>Ends the runnable's current run by force where its placement allows it; answered with a bool, true when it was killed.</summary>
internal sealed record KillRun : IDeadLetterSuppression
{
    public static readonly KillRun Instance = new();
}

/// <summary>A run of the runnable ended (to the runnable's actor itself); <see cref="Run"/> is null when it could not start.</summary>
internal sealed record RunEnded(IRunnableRun? Run, LoopOutcome Outcome) : IDeadLetterSuppression;

/// <summary>To the runtime actor: a runnable ended for good without failing (completed, stopped, or its input failed).</summary>
internal sealed record RunnableEnded(RunnableSlot Slot, LoopOutcome Outcome, int ProcessId) : IDeadLetterSuppression;

/// <summary>To the runtime actor: stop every runnable, force the rest after <see cref="Timeout"/>; <see cref="Result"/> gets what happened.</summary>
internal sealed record StopAll(TimeSpan Timeout, TaskCompletionSource<StopResult>? Result) : IDeadLetterSuppression;

/// <summary>To the runtime actor: the graceful part of a stop is over (its timeout passed or its token was cancelled).</summary>
internal sealed record StopTimedOut : IDeadLetterSuppression
{
    public static readonly StopTimedOut Instance = new();
}

/// <summary>To the runtime actor: the runnables still running after a stop's timeout were killed (processes) or abandoned (threads).</summary>
internal sealed record ForcedEnds(IReadOnlyList<(RunnableSlot Slot, bool Killed)> Ends) : IDeadLetterSuppression;
