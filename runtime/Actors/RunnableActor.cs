using Akka.Actor;
using Puma.Runnables;
using Puma.Runnables.Loop;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Actors;

/// <summary>
/// One runnable under a <see cref="RuntimeActor"/>: owns the runnable's current run (a loop in a thread or a child
/// process), forwards commands and requests to it, and reports how it ended. A failed run is thrown to the
/// supervisor as <see cref="RunFailedException"/>, whose <see cref="PumaSupervisorStrategy"/> restarts this actor
/// (a new run starts in <see cref="PreStart"/>; messages that arrived meanwhile wait in the mailbox) or stops it.
/// </summary>
/// <remarks>
/// Akka code may talk to the actor directly (<see cref="PumaRuntime.GetActorRef"/>): a message whose type has a
/// request handler is a request and its reply goes back to the sender (a handler's exception as
/// <see cref="Status.Failure"/>); any other message is a command. Until a child process is ready its handler
/// types are not known: such messages wait for it.
/// </remarks>
internal sealed class RunnableActor(RunnableSlot slot, RuntimeState runtime) : UntypedActor
{
    private IRunnableRun? _run;

    /// <inheritdoc />
    protected override void PreStart()
    {
        IRunnableRun run;
        try
        {
            run = runtime.StartRun(slot);
        }
        catch (Exception e)
        {
            Self.Tell(new RunEnded(null, new LoopOutcome(LoopOutcomeKind.Failed, e)));
            slot.FirstRunStarted.TrySetResult();
            return;
        }

        _run = run;
        slot.Current = run;
        slot.FirstRunStarted.TrySetResult();
        if (runtime.StopRequested)
            run.Stop();
        var self = Self;
        run.Completion.ContinueWith(
            static (completion, state) =>
            {
                (var self, var run) = ((IActorRef, IRunnableRun))state!;
                self.Tell(new RunEnded(run, completion.Result));
            },
            (self, run), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// The actor stops once its runnable ended for good, or when the ActorSystem terminates first (an application's
    /// own system shut down before the runtime was stopped): then the run still going is asked to stop.
    /// </summary>
    protected override void PostStop()
    {
        if (_run is { Completion.IsCompleted: false } run && !slot.Forced)
            run.Stop();
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RunnableCommand command:
                Send(command.Command);
                break;
            case RunnableRequest request:
                Answer(request.Request, request.ReplyType, Sender, request.CancellationToken, wrap: true);
                break;
            case StopRun:
                _run?.Stop();
                break;
            case KillRun:
                Kill(Sender);
                break;
            case RunEnded ended:
                OnRunEnded(ended);
                break;
            default:
                OnForeign(message);
                break;
        }
    }

    /// <summary>Sends a command; for a child process the next message waits until this one is written, to keep the order.</summary>
    private void Send(object command)
    {
        var sent = SendAsync(command);
        if (!sent.IsCompleted)
            RunTask(() => sent);
    }

    private async Task SendAsync(object command)
    {
        if (_run is not { } run)
        {
            Dropped(command, RunnableNotRunningException.Ended(slot.Name));
            return;
        }

        try
        {
            await run.SendAsync(command, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Dropped(command, e);
        }
    }

    private void Dropped(object command, Exception error) => LogDropped(runtime.Log, slot.Name, command, error.Message);

    /// <summary>The warning for a command a runnable could not take, here or when it reached the actor after it stopped (<see cref="AkkaLogRouter"/>).</summary>
    internal static void LogDropped(Serilog.ILogger log, string runnable, object command, string reason) =>
        log.Warning("Command {Command} for runnable {Runnable} was dropped: {Reason}", command.GetType().Name, runnable, reason);

    private void Answer(object request, Type replyType, IActorRef sender, CancellationToken cancellationToken, bool wrap)
    {
        Task<object?> reply;
        try
        {
            reply = _run is { } run
                ? run.AskAsync(request, replyType, cancellationToken)
                : Task.FromException<object?>(RunnableNotRunningException.Ended(slot.Name));
        }
        catch (Exception e)
        {
            reply = Task.FromException<object?>(e);
        }

        reply.ContinueWith(
            static (answered, state) =>
            {
                (var sender, var wrap) = ((IActorRef, bool))state!;
                var error = answered.IsCompletedSuccessfully ? null
                    : answered.Exception?.InnerException ?? new OperationCanceledException("The request was cancelled.");
                var message = wrap ? (object)new RunnableReply(error is null ? answered.Result : null, error)
                    : error is null ? answered.Result ?? Status.Success.Instance : new Status.Failure(error);
                sender.Tell(message);
            },
            (sender, wrap), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Kill(IActorRef sender)
    {
        // A run that has ended is not killed: IRunnableRun.KillAsync answers false then.
        var killed = _run is { } run ? run.KillAsync().AsTask() : Task.FromResult(false);
        killed.PipeTo(sender);
    }

    private void OnRunEnded(RunEnded ended)
    {
        var pid = ended.Run?.ProcessId ?? (slot.Placement == Placement.Thread ? Environment.ProcessId : 0);
        if (ended.Run?.Exit is { } exit)
            slot.LastExit = exit;
        if (pid != 0)
            slot.LastProcessId = pid;
        if (ended.Run is ProcessRun { Node: { } node })
            slot.LastNode = node;
        if (ended.Outcome.Kind == LoopOutcomeKind.Failed)
            throw new RunFailedException(slot, ended.Outcome, pid);
        Context.Parent.Tell(new RunnableEnded(slot, ended.Outcome, pid));
    }

    /// <summary>A message from Akka code: a request when the runnable answers its type, else a command.</summary>
    private void OnForeign(object message)
    {
        if (_run is not { } run)
        {
            Sender.Tell(new Status.Failure(RunnableNotRunningException.Ended(slot.Name)));
            return;
        }

        var sender = Sender;
        var dispatched = DispatchAsync(run, message, sender);
        if (!dispatched.IsCompleted)
            RunTask(() => dispatched);
    }

    private async Task DispatchAsync(IRunnableRun run, object message, IActorRef sender)
    {
        try
        {
            await run.WhenReadyAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            sender.Tell(new Status.Failure(e));
            return;
        }

        if (run.Answers(message.GetType()))
        {
            Answer(message, typeof(object), sender, CancellationToken.None, wrap: false);
            return;
        }

        try
        {
            run.CheckCommand(message.GetType());
        }
        catch (UnknownCommandException e)
        {
            runtime.Log.Warning("Runnable {Runnable} got a message it has no handler for: {Reason}", slot.Name, e.Message);
            sender.Tell(new Status.Failure(e));
            return;
        }

        await SendAsync(message).ConfigureAwait(false);
    }
}
