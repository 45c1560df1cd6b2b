using Puma.Runtime.Parent;


namespace Puma.Runtime.Tests.Parent;

public sealed class ChildExitTests
{
    [Theory]
    [InlineData(0, null, null)]
    [InlineData(1, null, null)]
    [InlineData(3, null, null)]
    [InlineData(128, null, null)]
    [InlineData(134, 6, "SIGABRT")]
    [InlineData(137, 9, "SIGKILL")]
    [InlineData(143, 15, "SIGTERM")]
    [InlineData(129, 1, "SIGHUP")]
    [InlineData(130, 2, "SIGINT")]
    [InlineData(131, 3, "SIGQUIT")]
    [InlineData(132, 4, "SIGILL")]
    [InlineData(133, 5, "SIGTRAP")]
    [InlineData(135, 7, "SIGBUS")]
    [InlineData(136, 8, "SIGFPE")]
    [InlineData(138, 10, "SIGUSR1")]
    [InlineData(139, 11, "SIGSEGV")]
    [InlineData(140, 12, "SIGUSR2")]
    [InlineData(141, 13, "SIGPIPE")]
    [InlineData(142, 14, "SIGALRM")]
    [InlineData(144, 16, "signal 16")]
    [InlineData(192, 64, "signal 64")]
    [InlineData(193, null, null)]
    [InlineData(255, null, null)]
    [InlineData(-1, null, null)]
    public void Exit_code_gives_the_signal_on_unix(int code, int? signal, string? name)
    {
        if (OperatingSystem.IsWindows())
            return;

        var exit = ChildExit.FromExitCode(code);
        Assert.Equal(code, exit.ExitCode);
        Assert.Equal(signal, exit.Signal);
        Assert.Equal(name, exit.SignalName);
    }

    [Fact]
    public void An_exit_reads_as_its_code_or_its_signal_and_becomes_the_public_status()
    {
        if (OperatingSystem.IsWindows())
            return;

        var killed = ChildExit.FromExitCode(137);
        Assert.Equal("killed by SIGKILL (exit code 137)", killed.ToString());
        Assert.False(killed.Succeeded);
        Assert.Equal(new ChildExitStatus(137, 9, "SIGKILL"), killed.ToStatus());
        Assert.Equal("killed by SIGKILL (exit code 137)", killed.ToStatus().ToString());

        var failed = ChildExit.FromExitCode(3);
        Assert.Equal("exit code 3", failed.ToString());
        Assert.False(failed.Succeeded);
        Assert.Equal(new ChildExitStatus(3, null, null), failed.ToStatus());
        Assert.Equal("exit code 3", failed.ToStatus().ToString());

        Assert.True(ChildExit.FromExitCode(0).Succeeded);
    }

    [Fact]
    public void Host_and_muxer_are_found()
    {
        var host = HostLocator.HostPath;
        Assert.Equal(Path.GetDirectoryName(typeof(ChildProcess).Assembly.Location), Path.GetDirectoryName(host));
        Assert.True(File.Exists(Path.ChangeExtension(host, ".runtimeconfig.json")));
        Assert.False(File.Exists(Path.ChangeExtension(host, ".deps.json")), "the host must not have a deps.json: it relies on the directory being its trusted-platform list");
        Assert.True(File.Exists(HostLocator.DotnetPath));
        Assert.StartsWith("dotnet", Path.GetFileName(HostLocator.DotnetPath), StringComparison.Ordinal);
    }
}
