using Puma.Runtime.Hosting;

namespace Puma.Runtime.Tests.Hosting;

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
