using Puma.Runnables;
using Puma.Runnables.Loop;
using Serilog;

namespace Puma.Runtime.Supervision;

/// <summary>A run of a runnable as a loop on the supervisor's thread pool.</summary>
internal sealed class ThreadRun : IRunnableRun
{
    private readonly RunnableLoop _loop;

    public ThreadRun(Runnable runnable, int restartCount, Action<object> statusSink, ILogger log, RunnableCounters? counters = null)
    {
        _loop = new RunnableLoop(runnable, Placement.Thread, restartCount, statusSink, log, counters);
        Completion = _loop.RunAsync();
    }

    public int ProcessId => Environment.ProcessId;

    public Task<LoopOutcome> Completion { get; }

    public bool IsRunning => !Completion.IsCompleted;

    public ChildExitStatus? Exit => null;

    public ValueTask WhenReadyAsync(CancellationToken cancellationToken) => default;

    public bool Answers(Type requestType) => _loop.Answers(requestType);

    public void CheckCommand(Type commandType)
    {
        if (!_loop.Handles(commandType))
            throw new UnknownCommandException(_loop.Name, commandType.Name, _loop.CommandTypeNames);
    }

    public void CheckRequest(Type requestType)
    {
        if (!_loop.Answers(requestType))
            throw new UnknownCommandException(_loop.Name, requestType.Name, _loop.RequestTypeNames);
    }

    public ValueTask SendAsync(object command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _loop.Send(command);
        return default;
    }

    public Task<object?> AskAsync(object request, Type replyType, CancellationToken cancellationToken) =>
        _loop.AskAsync(request, cancellationToken);

    public void Stop() => _loop.Stop();

    public ValueTask<bool> KillAsync() => new(false);
}
