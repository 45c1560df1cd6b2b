namespace Puma.Runtime;

/// <summary>How a runnable's child process ended.</summary>
/// <param name="ExitCode">The exit code as .NET reports it (128 + N for a process killed by signal N on Unix).</param>
/// <param name="Signal">The signal that killed it (Unix), or null when it exited by itself.</param>
/// <param name="SignalName">The signal's name (SIGKILL, ...), or null.</param>
public sealed record ChildExitStatus(int ExitCode, int? Signal, string? SignalName)
{
    /// <inheritdoc/>
    public override string ToString() => Signal is null ? $"exit code {ExitCode}" : $"killed by {SignalName} (exit code {ExitCode})";
}
