namespace Puma.Runtime.Parent;

/// <summary>How a child process ended: its exit code and, on Unix, the signal that killed it.</summary>
/// <remarks>
/// On Unix .NET reports a process killed by signal N as exit code 128 + N (it maps <c>WTERMSIG</c> of the
/// wait status that way, as shells do), so 137 is SIGKILL, 134 SIGABRT (also what an unhandled exception and
/// <see cref="Environment.FailFast(string)"/> end with) and 143 SIGTERM. <see cref="FromExitCode"/> derives
/// <see cref="Signal"/> from that: codes 129..192 on Unix. A process that calls <c>exit(137)</c> itself is
/// indistinguishable from one killed by SIGKILL; Puma's host never exits with codes above 128 on purpose.
/// </remarks>
/// <param name="ExitCode">The exit code as .NET reports it.</param>
/// <param name="Signal">The terminating signal number on Unix, or null when the process exited by itself.</param>
internal readonly record struct ChildExit(int ExitCode, int? Signal)
{
    /// <summary>Interprets an exit code reported by <see cref="System.Diagnostics.Process.ExitCode"/>.</summary>
    public static ChildExit FromExitCode(int exitCode) =>
        !OperatingSystem.IsWindows() && exitCode is > 128 and <= 128 + 64
            ? new ChildExit(exitCode, exitCode - 128)
            : new ChildExit(exitCode, null);

    /// <summary>The signal's name (SIGKILL, ...) or null.</summary>
    public string? SignalName => Signal switch
    {
        null => null,
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        int n => $"signal {n}",
    };

    /// <summary>The public form, for <see cref="RunnableInfo.LastExit"/>.</summary>
    public ChildExitStatus ToStatus() => new(ExitCode, Signal, SignalName);

    /// <summary>True when the process exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <inheritdoc/>
    public override string ToString() => ToStatus().ToString();
}
