using System.Collections.Concurrent;
using System.Reflection;
using Puma.Logging;
using Puma.Runnables;
using Puma.Runnables.Loop;
using Puma.Runtime.Child;
using Puma.Runtime.Parent;
using Puma.Runtime.Wire;
using Serilog;

namespace Puma.Runtime.Supervision;

/// <summary>
/// A run of a runnable in a child process: starts the host, sends the runnable's configuration, and
/// turns the control channel's frames into replies, status reports, log events and the run's outcome.
/// A child that dies without reporting ends the run as failed with <see cref="ChildProcessDiedException"/>
/// (a local child) or what its connection says (a child on a cluster node whose node was lost).
/// </summary>
/// <remarks>The child is local (<see cref="ChildProcess"/>) or on a cluster node (<see cref="Cluster.Supervisor.NodeChild"/>): the same protocol either way.</remarks>
internal sealed class ProcessRun : IRunnableRun
{
    private readonly RunnableSlot _slot;
    private readonly ILogger _rootLogger;
    private readonly Func<PropertyInfo, object?, PortBinding> _bindPort;
    private readonly Action<object, DateTimeOffset> _statusSink;
    private readonly int _restartCount;
    private readonly TaskCompletionSource<ChildReadyMessage> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<ChildProcessOptions, CancellationToken, Task<IChildConnection>> _startChild;
    private readonly TaskCompletionSource<IChildConnection> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<long, (TaskCompletionSource<object?> Reply, Type ReplyType, string RequestName)> _pending = new();
    private HashSet<string> _commands = [];
    private HashSet<string> _requests = [];
    private Type? _lastAnswered;
    private LogEventReplayer _replayer;
    private long _nextId;
    private volatile bool _stopRequested;

    public ProcessRun(RunnableSlot slot, int restartCount, ILogger rootLogger, Func<PropertyInfo, object?, PortBinding> bindPort, Action<object, DateTimeOffset> statusSink)
        : this(slot, restartCount, rootLogger, bindPort, statusSink, static async (options, token) => await ChildProcess.StartAsync(options, token).ConfigureAwait(false))
    {
    }

    public ProcessRun(RunnableSlot slot, int restartCount, ILogger rootLogger, Func<PropertyInfo, object?, PortBinding> bindPort, Action<object, DateTimeOffset> statusSink,
        Func<ChildProcessOptions, CancellationToken, Task<IChildConnection>> startChild)
    {
        _startChild = startChild;
        _slot = slot;
        _restartCount = restartCount;
        _rootLogger = rootLogger;
        _bindPort = bindPort;
        _statusSink = statusSink;
        _replayer = new LogEventReplayer(rootLogger, slot.Name, 0);
        Completion = RunAsync();
    }

    public int ProcessId { get; private set; }

    /// <summary>The cluster node the child runs on; null for a local child or before it started.</summary>
    public string? Node { get; private set; }

    public Task<LoopOutcome> Completion { get; }

    public bool IsRunning => _ready.Task.IsCompletedSuccessfully && !Completion.IsCompleted;

    public ChildExitStatus? Exit { get; private set; }

    public ValueTask WhenReadyAsync(CancellationToken cancellationToken) =>
        _ready.Task.IsCompletedSuccessfully ? default : new(WaitReadyAsync(cancellationToken));

    public bool Answers(Type requestType) => TypedValues.NamesOf(requestType).Any(_requests.Contains);

    public void CheckCommand(Type commandType)
    {
        if (!TypedValues.NamesOf(commandType).Any(_commands.Contains))
            throw new UnknownCommandException(_slot.Name, commandType.Name, _commands.Select(ShortName));
    }

    public void CheckRequest(Type requestType)
    {
        // The last type that passed, so that a stream of asks of one type does not walk its base types and interfaces each time.
        if (ReferenceEquals(requestType, _lastAnswered))
            return;
        if (!Answers(requestType))
            throw new UnknownCommandException(_slot.Name, requestType.Name, _requests.Select(ShortName));
        _lastAnswered = requestType;
    }

    public async ValueTask SendAsync(object command, CancellationToken cancellationToken)
    {
        if (!_ready.Task.IsCompletedSuccessfully)
            await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        CheckCommand(command.GetType());
        var child = await _started.Task.ConfigureAwait(false);
        var frame = MessageFrame.Create(ControlMessageKind.Command, Interlocked.Increment(ref _nextId), command);
        await SendOrEndedAsync(child, frame, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// The request is written on the caller's thread (synchronously when the socket has room). The reply's task
    /// completes on the channel's reader thread: its continuations are asynchronous, so user code never runs there.
    /// </remarks>
    public async Task<object?> AskAsync(object request, Type replyType, CancellationToken cancellationToken)
    {
        if (!_ready.Task.IsCompletedSuccessfully)
            await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        CheckRequest(request.GetType());
        var child = await _started.Task.ConfigureAwait(false);
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (reply, replyType, request.GetType().Name);
        if (Completion.IsCompleted)
            FailPending();
        await SendOrEndedAsync(child, MessageFrame.Create(ControlMessageKind.Request, id, request), cancellationToken).ConfigureAwait(false);
        return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Stop()
    {
        _stopRequested = true;
        if (_started.Task.IsCompletedSuccessfully)
            _ = SendQuietlyAsync(_started.Task.Result, ControlFrame.Empty(ControlMessageKind.Stop));
    }

    /// <summary>Kills the child and waits (at most 5 s) until it is gone and reaped, so that a stop's result never names a child that still runs.</summary>
    public async ValueTask<bool> KillAsync()
    {
        if (!_started.Task.IsCompletedSuccessfully || Completion.IsCompleted)
            return false;
        _started.Task.Result.Kill();
        await Task.WhenAny(Completion, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        return true;
    }

    private async Task<LoopOutcome> RunAsync()
    {
        await Task.Yield();
        IChildConnection? child = null;
        LoopOutcome? outcome = null;
        ChildFailedMessage? failed = null;
        try
        {
            child = await _startChild(new ChildProcessOptions
            {
                StandardOutput = line => _replayer.ReplayOutputLine(line, ChildOutputStream.Stdout),
                StandardError = line => _replayer.ReplayOutputLine(line, ChildOutputStream.Stderr),
            }, CancellationToken.None).ConfigureAwait(false);
            var connection = child;
            var start = ChildStartMessage.For(_slot.Runnable, _slot.Name, (property, value) => connection.Bind(property.Name, _bindPort(property, value)),
                    _rootLogger.MinimumLevelOf().ToString(), ChildHostSetup.IsRunnableBaseProperty)
                with
            { RestartCount = _restartCount, MetricsSegment = child.Node is null ? _slot.MetricsSegmentName : null };
            ProcessId = child.Pid;
            Node = child.Node;
            _replayer = new LogEventReplayer(_rootLogger, _slot.Name, child.Pid, child.Node);
            if (child.Node is { } node)
                _rootLogger.ForRunnable("supervisor").Information("Runnable {Started} runs in child process {ChildPid} on node {Node}", _slot.Name, child.Pid, node);
            else
                _rootLogger.ForRunnable("supervisor").Information("Runnable {Started} runs in child process {ChildPid}", _slot.Name, child.Pid);
            await child.SendAsync(StartFrame.Create(start)).ConfigureAwait(false);
            _started.TrySetResult(child);
            if (_stopRequested)
                Stop();

            while (await child.ReadAsync().ConfigureAwait(false) is { } frame)
            {
                switch (frame.Kind)
                {
                    case ControlMessageKind.Ready:
                        var ready = ReadyFrame.Read(frame);
                        _commands = [.. ready.Commands];
                        _requests = [.. ready.Requests];
                        _lastAnswered = null;
                        _ready.TrySetResult(ready);
                        break;
                    case ControlMessageKind.Log:
                        _replayer.Replay(PortableLogEventJson.Deserialize(frame.Payload.Span));
                        break;
                    case ControlMessageKind.Status:
                        var status = StatusFrame.Read(frame);
                        _statusSink(status.Value, status.Timestamp);
                        break;
                    case ControlMessageKind.Reply:
                        OnReply(frame);
                        break;
                    case ControlMessageKind.Ended:
                        var ended = EndedFrame.Read(frame);
                        outcome = new LoopOutcome(Enum.Parse<LoopOutcomeKind>(ended.Kind), ended.Error?.ToException());
                        break;
                    case ControlMessageKind.Failed:
                        failed = frame.Read(WireJsonContext.Default.ChildFailedMessage);
                        break;
                }
            }
            var exit = await child.Exited.ConfigureAwait(false);
            Exit = exit.ToStatus();
            outcome ??= failed is not null
                ? new LoopOutcome(LoopOutcomeKind.Failed, new PortableException(failed.ExceptionType, failed.Message, failed.StackTrace, failed.Text, 0, null).ToException())
                : new LoopOutcome(LoopOutcomeKind.Failed, child.Died(_slot.Name, exit));
        }
        catch (Exception e)
        {
            outcome ??= new LoopOutcome(LoopOutcomeKind.Failed, e);
        }
        finally
        {
            _started.TrySetException(new RunnableNotRunningException(_slot.Name, $"Runnable '{_slot.Name}' could not be started in a child process."));
            _ready.TrySetException(RunnableNotRunningException.Ended(_slot.Name));
            FailPending();
            if (child is not null)
            {
                await child.DisposeAsync().ConfigureAwait(false);
                if (child.Exited.IsCompletedSuccessfully)
                    _slot.ChildLoopCounters?.CloseAfterExit(); // a child killed while busy never ended its busy spell
            }
        }
        return outcome;
    }

    private void OnReply(ControlFrame frame)
    {
        if (!_pending.TryRemove(ReplyFrame.ReadId(frame), out var pending))
            return;
        WireReply reply;
        try
        {
            reply = ReplyFrame.Read(frame, pending.ReplyType);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            pending.Reply.TrySetException(e);
            return;
        }
        if (reply.Error is { Type: var type } && type == typeof(RunnableNotRunningException).FullName)
            pending.Reply.TrySetException(new RunnableNotRunningException(_slot.Name, reply.Error.Message));
        else if (reply.Error is { } error)
            pending.Reply.TrySetException(error.ToException());
        else
            pending.Reply.TrySetResult(reply.Value);
    }

    private void FailPending()
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
                pending.Reply.TrySetException(RunnableNotRunningException.EndedBeforeAnswering(_slot.Name, pending.RequestName));
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RunnableNotRunningException e)
        {
            throw new RunnableNotRunningException(_slot.Name, e.Message, e);
        }
    }

    private async Task SendOrEndedAsync(IChildConnection child, ControlFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            await child.SendAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw new RunnableNotRunningException(_slot.Name, $"Runnable '{_slot.Name}' is not running: its child process {child.Pid} is gone.", e);
        }
    }

    private static async Task SendQuietlyAsync(IChildConnection child, ControlFrame frame)
    {
        try
        {
            await child.SendAsync(frame).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The child is gone; its exit ends the run.
        }
    }

    private static string ShortName(string assemblyQualifiedName)
    {
        var name = assemblyQualifiedName.Split(',')[0];
        return name[(name.LastIndexOfAny(['.', '+']) + 1)..];
    }
}
