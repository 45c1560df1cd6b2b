using System.Diagnostics;
using System.Threading.Channels;
using Serilog;

namespace Puma.Runnables.Loop;

/// <summary>
/// One run of a runnable: the actor loop. Commands and requests come first, then due ticks, then
/// inputs in bounded batches, then the produce step in bounded batches, so that a flooded input
/// never starves Stop, a command or a tick. Handlers never run concurrently.
/// </summary>
internal sealed partial class RunnableLoop
{
    /// <summary>Produce steps per turn before commands and ticks are looked at again.</summary>
    public const int ProduceBatch = 64;

    private readonly Runnable _runnable;
    private readonly Handlers _handlers;
    private readonly Channel<LoopMessage> _mailbox =
        Channel.CreateUnbounded<LoopMessage>(new UnboundedChannelOptions { SingleReader = false, AllowSynchronousContinuations = false });
    private readonly InputSource<LoopMessage> _mailboxSource;
    // Messages written to the mailbox and not yet taken: raised before the write, lowered as each is dispatched, so it
    // is never 0 while one waits. The loop looks at it between batches with one acquire load (Volatile.Read), where the
    // channel's Count walks its queue (4.5% of a ping-pong actor's time at one message per turn).
    private int _queued;
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Exception? _configureError;
    private readonly RunnableCounters? _counters;
    private volatile bool _stopRequested;
    private readonly ILogger _log;
    private Task? _body;

    // counters: where the loop counts its items and busy time for the runtime's metrics; null: not counted.
    public RunnableLoop(Runnable runnable, Placement placement, int restartCount, Action<object> statusSink, ILogger log, RunnableCounters? counters = null)
    {
        _runnable = runnable;
        _log = log;
        _counters = counters;
        Context = new RunnableContext(runnable.Name, placement, restartCount, _stop.Token, statusSink);
        runnable.Attach(Context, log);
        _handlers = new Handlers(runnable.Name);
        try
        {
            runnable.InvokeConfigure(_handlers);
        }
        catch (Exception e)
        {
            _configureError = e;
        }
        _mailboxSource = new InputSource<LoopMessage>(_mailbox.Reader, DispatchAsync);
    }

    public RunnableContext Context { get; }

    public string Name => _runnable.Name;

    public IEnumerable<Type> CommandTypes => _handlers.CommandTypes;

    public IEnumerable<Type> RequestTypes => _handlers.RequestTypes;

    public IEnumerable<string> CommandTypeNames => _handlers.CommandTypes.Select(t => t.Name);

    public IEnumerable<string> RequestTypeNames => _handlers.RequestTypes.Select(t => t.Name);

    public bool Handles(Type commandType) => Handlers.Lookup(_handlers.Commands, commandType) is not null;

    public bool Answers(Type requestType) => Handlers.Lookup(_handlers.Requests, requestType) is not null;

    /// <summary>Queues a command; throws when there is no handler for it or the loop has ended.</summary>
    public void Send(object command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!Handles(command.GetType()))
            throw new UnknownCommandException(Name, command.GetType().Name, CommandTypeNames);
        Interlocked.Increment(ref _queued);
        if (!_mailbox.Writer.TryWrite(new CommandMessage(command)))
        {
            Interlocked.Decrement(ref _queued);
            throw Ended();
        }
    }

    /// <summary>Queues a request; the task completes with the reply, or the handler's exception.</summary>
    public Task<object?> AskAsync(object request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Answers(request.GetType()))
            throw new UnknownCommandException(Name, request.GetType().Name, RequestTypeNames);
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _queued);
        if (!_mailbox.Writer.TryWrite(new RequestMessage(request, reply)))
        {
            Interlocked.Decrement(ref _queued);
            throw Ended();
        }
        return reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Asks the loop to stop: cancels the handlers' token and ends the loop at its next turn.</summary>
    public void Stop()
    {
        _stopRequested = true;
        try
        {
            _stop.Cancel();
        }
        catch (AggregateException)
        {
            // A user callback registered on the stop token threw; stopping goes on.
        }
        _wake.Set();
    }

    /// <summary>Runs the loop to its end. The task never faults: failures are in the outcome.</summary>
    public Task<LoopOutcome> RunAsync()
    {
        if (!_runnable.OverridesRunAsync)
            return Task.Run(() => LoopAsync(null));
        var exclusive = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        return Task.Factory.StartNew(() => LoopThenBodyAsync(exclusive), CancellationToken.None, TaskCreationOptions.DenyChildAttach, exclusive).Unwrap();
    }

    /// <summary>
    /// The loop, then the end of a <c>RunAsync</c> body still running when the loop ended (on a stop or a failure its
    /// token is cancelled by then). The run is not over until the body returns: its outputs stay open for it and what
    /// the runtime owns (shared arrays, events) stays mapped. A body that ignores its token is the supervisor's to
    /// abandon after the stop timeout. What the body throws once it was told to stop is not a failure of its own.
    /// </summary>
    private async Task<LoopOutcome> LoopThenBodyAsync(TaskScheduler exclusive)
    {
        var outcome = await LoopAsync(exclusive);
        if (_body is { IsCompleted: false } body)
        {
            try
            {
                await body;
            }
            catch (Exception e)
            {
                _log.Debug(e, "The RunAsync body of {Runnable} ended with {Error} after the loop ended ({Outcome})", Name, e.GetType().Name, outcome.Kind);
            }
        }
        return outcome;
    }

    private async Task<LoopOutcome> LoopAsync(TaskScheduler? exclusive)
    {
        if (_configureError is not null)
        {
            // Nothing runs: requests queued before the loop started are answered now, later ones are refused.
            _mailbox.Writer.TryComplete();
            FailPendingRequests();
            return new LoopOutcome(LoopOutcomeKind.Failed, _configureError);
        }
        var ct = _stop.Token;
        var inputs = _handlers.Inputs;
        var ticks = _handlers.Ticks;
        var produce = _handlers.ProduceStep;
        var outputs = exclusive is null ? OutputBatch.Of(_runnable) : OutputBatch.None; // a RunAsync body writes its outputs between the loop's turns
        Task? body = null;
        if (exclusive is not null)
        {
            body = _body = Task.Factory.StartNew(() => _runnable.InvokeRunAsync(ct), CancellationToken.None, TaskCreationOptions.DenyChildAttach, exclusive).Unwrap();
            _ = body.ContinueWith(static (_, s) => ((WakeSignal)s!).Set(), _wake, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        var hasSources = inputs.Count > 0 || produce is not null || body is not null;
        using var timer = ticks.Count > 0 ? new Timer(static s => ((WakeSignal)s!).Set(), _wake, Timeout.Infinite, Timeout.Infinite) : null;
        _counters?.Busy();
        try
        {
            while (true)
            {
                if (_stopRequested)
                    return LoopOutcome.Stopped;
                var progress = HasQueuedMessages && await _mailboxSource.ProcessBatchAsync(int.MaxValue, ct) > 0;
                if (_stopRequested)
                    return LoopOutcome.Stopped;

                if (ticks.Count > 0)
                {
                    var now = Stopwatch.GetTimestamp();
                    foreach (var tick in ticks)
                    {
                        if (!tick.IsDue(now))
                            continue;
                        tick.Advance(now);
                        await tick.Handler(ct);
                        progress = true;
                        if (_stopRequested)
                            return LoopOutcome.Stopped;
                    }
                }

                if (_handlers.Events.Count > 0 && await ServeEventsAsync(ct))
                    progress = true;
                if (_stopRequested)
                    return LoopOutcome.Stopped;

                foreach (var input in inputs)
                {
                    if (input.Done)
                        continue;
                    if (!InputsOpen)
                        break; // the gate is looked at before each input batch
                    var taken = input.Taken;
                    int handled;
                    try
                    {
                        handled = await ProcessBatchAsync(input, outputs, ct);
                    }
                    finally
                    {
                        _counters?.AddItemsIn(input.Taken - taken); // a batch ended by a throw or a stop counts what it took
                    }
                    if (handled > 0)
                    {
                        progress = true;
                    }
                    else if (input.IsFinished(out var error))
                    {
                        input.Done = true;
                        progress = true;
                        if (input.OnCompleted is { } onCompleted)
                            await onCompleted(error, ct);
                        else if (error is not null)
                            return new LoopOutcome(LoopOutcomeKind.UpstreamFailed, error);
                    }
                    if (_stopRequested)
                        return LoopOutcome.Stopped;
                    if (HasQueuedMessages)
                        break;
                }

                if (produce is not null)
                {
                    progress = true;
                    for (var i = 0; i < ProduceBatch; i++)
                    {
                        if (!await produce(ct))
                        {
                            produce = null;
                            break;
                        }
                        if (_stopRequested || HasQueuedMessages)
                            break;
                    }
                }

                if (body is { IsCompleted: true })
                {
                    await body;
                    body = null;
                    progress = true;
                }

                if (hasSources && body is null && produce is null && inputs.TrueForAll(i => i.Done))
                    return LoopOutcome.Completed;

                if (!progress)
                {
                    _counters?.Idle();
                    await WaitForWorkAsync(inputs, ticks, timer, body);
                    _counters?.Busy();
                }
            }
        }
        catch (OperationCanceledException) when (_stopRequested)
        {
            return LoopOutcome.Stopped;
        }
        catch (Exception e)
        {
            return new LoopOutcome(LoopOutcomeKind.Failed, e);
        }
        finally
        {
            _counters?.Idle();
            _mailbox.Writer.TryComplete();
            FailPendingRequests();
            DisarmEvents();
            if (body is { IsCompleted: false })
                Stop();
        }
    }

    /// <summary>
    /// One input's batch. A synchronous handler's batch runs on this thread from start to end, so the outputs are
    /// batched around it: the items it writes reach readers as a block at its end. An asynchronous handler's are not:
    /// it may await with items written (they would stay unpublished for as long as the await lasts) and go on on
    /// another thread.
    /// </summary>
    private static ValueTask<int> ProcessBatchAsync(InputSource input, OutputBatch outputs, CancellationToken ct)
    {
        if (outputs.IsEmpty || !input.HandlesSynchronously)
            return input.ProcessBatchAsync(input.MaxBatch, ct);
        outputs.Begin();
        try
        {
            return input.ProcessBatchAsync(input.MaxBatch, ct); // completed when it returns: its handler cannot await
        }
        finally
        {
            outputs.Flush();
        }
    }

    private Task WaitForWorkAsync(List<InputSource> inputs, List<TickSource> ticks, Timer? timer, Task? body)
    {
        var ready = _mailboxSource.Arm(_wake) | ArmEvents(out var inputsOpen);
        foreach (var input in inputsOpen ? inputs : NoInputs)
        {
            if (!input.Done)
                ready |= input.Arm(_wake);
        }

        if (ready || _stopRequested || body is { IsCompleted: true })
            return Task.CompletedTask;
        if (timer is not null)
        {
            var next = long.MaxValue;
            foreach (var tick in ticks)
                next = Math.Min(next, tick.NextDue);
            var dueMs = Math.Max(0, (long)Math.Ceiling((next - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency));
            timer.Change(dueMs, Timeout.Infinite);
        }
        return _wake.WaitAsync();
    }

    private bool HasQueuedMessages => Volatile.Read(ref _queued) > 0;

    private async ValueTask DispatchAsync(LoopMessage message, CancellationToken ct)
    {
        Interlocked.Decrement(ref _queued);
        switch (message)
        {
            case CommandMessage command:
                await Handlers.Lookup(_handlers.Commands, command.Command.GetType())!(command.Command, ct);
                break;
            case RequestMessage request:
                try
                {
                    var reply = await Handlers.Lookup(_handlers.Requests, request.Request.GetType())!(request.Request, ct);
                    request.Reply.TrySetResult(reply);
                }
                catch (OperationCanceledException) when (_stopRequested && ct.IsCancellationRequested)
                {
                    // Stop cancelled the handler: the caller gets what any placement gives for a runnable that ended.
                    request.Reply.TrySetException(RunnableNotRunningException.EndedBeforeAnswering(Name, request.Request.GetType().Name));
                }
                catch (Exception e)
                {
                    request.Reply.TrySetException(e);
                }
                break;
        }
    }

    private void FailPendingRequests()
    {
        while (_mailbox.Reader.TryRead(out var message))
        {
            if (message is RequestMessage request)
                request.Reply.TrySetException(RunnableNotRunningException.EndedBeforeAnswering(Name, request.Request.GetType().Name));
        }
    }

    private RunnableNotRunningException Ended() => RunnableNotRunningException.Ended(Name);
}
