namespace Puma.Runtime.Tests;

/// <summary>The exact text of the runtime's exceptions: what a user reads in a log when something went wrong.</summary>
public sealed class ExceptionMessageTests
{
    [Fact]
    public void AChildThatExitedSaysItsExitCode()
    {
        var e = new ChildProcessDiedException("producer", 4242, 3, null, null);
        Assert.Equal("The child process 4242 running 'producer' died without reporting: exit code 3.", e.Message);
        Assert.Equal(("producer", 4242, 3, (int?)null), (e.RunnableName, e.ProcessId, e.ExitCode, e.Signal));
    }

    [Fact]
    public void AChildKilledByASignalSaysTheSignalsNameOrNumber()
    {
        var named = new ChildProcessDiedException("producer", 4242, 137, 9, "SIGKILL");
        Assert.Equal("The child process 4242 running 'producer' died without reporting: killed by SIGKILL (exit code 137).", named.Message);
        Assert.Equal(9, named.Signal);

        var numbered = new ChildProcessDiedException("producer", 4242, 192, 64, null);
        Assert.Equal("The child process 4242 running 'producer' died without reporting: killed by signal 64 (exit code 192).", numbered.Message);
    }

    [Fact]
    public void AValidationErrorListsEveryProblemOnItsOwnLine()
    {
        var e = new PumaValidationException(["first problem", "second problem"]);
        var n = Environment.NewLine;
        Assert.Equal($"The Puma runtime cannot start:{n} - first problem{n} - second problem", e.Message);
        Assert.Equal(["first problem", "second problem"], e.Problems);
    }
}
