using Puma.Runnables.Loop;

namespace Puma.Runtime.Supervision;

/// <summary>One run of a runnable in some placement: a loop in a thread, or a child process.</summary>
internal interface IRunnableRun
{
    /// <summary>The process the run lives in.</summary>
    int ProcessId { get; }

    /// <summary>True while the run takes commands and requests (a child process: once its loop reported ready).</summary>
    bool IsRunning { get; }

    /// <summary>How the run's child process ended; null for a thread run or while the child lives.</summary>
    ChildExitStatus? Exit { get; }

    /// <summary>Ends with the run's outcome; never faults.</summary>
    Task<LoopOutcome> Completion { get; }

    /// <summary>Completes once the run takes commands and requests (a child process: its loop reported ready); throws <see cref="Puma.Runnables.RunnableNotRunningException"/> when it ended first.</summary>
    ValueTask WhenReadyAsync(CancellationToken cancellationToken);

    /// <summary>True when the run has a request handler for <paramref name="requestType"/> (known once ready).</summary>
    bool Answers(Type requestType);

    /// <summary>Throws <see cref="Puma.Runnables.UnknownCommandException"/> when the run has no command handler for <paramref name="commandType"/> (known once ready).</summary>
    void CheckCommand(Type commandType);

    /// <summary>Throws <see cref="Puma.Runnables.UnknownCommandException"/> when the run has no request handler for <paramref name="requestType"/> (known once ready).</summary>
    void CheckRequest(Type requestType);

    /// <summary>Queues a command; throws <see cref="Puma.Runnables.UnknownCommandException"/> when there is no handler.</summary>
    ValueTask SendAsync(object command, CancellationToken cancellationToken);

    /// <summary>Sends a request and returns the reply.</summary>
    Task<object?> AskAsync(object request, Type replyType, CancellationToken cancellationToken);

    /// <summary>Asks the run to stop gracefully.</summary>
    void Stop();

    /// <summary>Ends the run by force where the placement allows it (a process); returns true when it was killed.</summary>
    ValueTask<bool> KillAsync();
}
