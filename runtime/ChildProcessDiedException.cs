namespace Puma.Runtime;

/// <summary>
/// A child process died without reporting how its runnable ended: killed (kill -9), a native crash,
/// <see cref="Environment.FailFast(string)"/>, or an exit outside Puma's control.
/// </summary>
public sealed class ChildProcessDiedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="runnableName">The runnable the child ran.</param>
    /// <param name="processId">The child's process id.</param>
    /// <param name="exitCode">Its exit code.</param>
    /// <param name="signal">The signal that ended it, when it was killed by one (Unix).</param>
    /// <param name="signalName">The signal's name, e.g. SIGKILL.</param>
    public ChildProcessDiedException(string runnableName, int processId, int exitCode, int? signal, string? signalName)
        : base($"The child process {processId} running '{runnableName}' died without reporting: " +
               (signal is null ? $"exit code {exitCode}." : $"killed by {signalName ?? "signal " + signal} (exit code {exitCode})."))
    {
        RunnableName = runnableName;
        ProcessId = processId;
        ExitCode = exitCode;
        Signal = signal;
    }

    /// <summary>The runnable the child ran.</summary>
    public string RunnableName { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId { get; }

    /// <summary>The child's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>The signal that ended the child, or null.</summary>
    public int? Signal { get; }
}
