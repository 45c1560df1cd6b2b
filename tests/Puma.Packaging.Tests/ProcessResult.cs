namespace Puma.Packaging.Tests;

/// <summary>How a finished command went: its exit code, pid, output (stdout and stderr, interleaved) and duration.</summary>
internal sealed record ProcessResult(string CommandLine, int ProcessId, int ExitCode, IReadOnlyList<string> StandardOutput, string Output, TimeSpan Elapsed)
{
    /// <summary>The command, its exit code and its whole output, for an assertion message.</summary>
    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s:{Environment.NewLine}{Output}";

    /// <summary>Fails the test, with the command's output, unless it exited with 0.</summary>
    public ProcessResult EnsureSucceeded()
    {
        Assert.True(ExitCode == 0, Describe());
        return this;
    }
}
