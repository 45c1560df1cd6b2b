using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Puma.Runtime.Child;
using Puma.Runtime.Parent;
using Puma.Runtime.Tests.Parent;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Child;

/// <summary>
/// The child host started by hand, without <see cref="ChildProcess"/>: what it says on stderr and which exit code
/// it returns for a bad command line, a control socket it cannot reach, a parent that is not the expected one, and a
/// first frame that is not a Start frame.
/// </summary>
public sealed class ChildHostCommandLineTests
{
    private const string Usage =
        "Puma child host: usage: --puma-control <socket path> [--puma-parent-pid <pid>]. It is started by Puma.Runtime, not by hand.";

    [Fact]
    public async Task NoArgumentsPrintsTheUsageAndExitsWithTheUsageCode()
    {
        var (exitCode, stderr) = await RunAsync([]);

        Assert.Equal(ChildHost.ExitCodeUsage, exitCode);
        Assert.Equal([Usage], stderr);
    }

    [Theory]
    [InlineData("this build")]
    [InlineData("another build")]
    [InlineData("not a reference")]
    public async Task TheHostReachesChildHostMainByItsEntryReferenceOrByNameWhenTheReferenceDoesNotFit(string entry)
    {
        var reference = entry switch
        {
            "this build" => ChildHost.EntryReference,
            "another build" => $"{Guid.NewGuid():N}{ChildHost.EntryReference[32..]}",
            _ => "nonsense",
        };

        var (exitCode, stderr) = await RunAsync([ChildHost.EntryOption, reference]);

        // ChildHost.Main ran (its usage line): found by the reference, or by name when the reference names another build.
        Assert.Equal(ChildHost.ExitCodeUsage, exitCode);
        Assert.Equal([Usage], stderr);
    }

    [Fact]
    public async Task TheHostRunsTheMethodItsEntryReferenceNames()
    {
        // This build's module and the token of another entry point: the node program runs, not ChildHost.Main.
        var node = MetadataReference.Of(((Func<string[], int>)Puma.Runtime.Cluster.Node.NodeProgram.Main).Method).ToString();

        var (exitCode, stderr) = await RunAsync([ChildHost.EntryOption, node]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Puma node: unknown option '--puma-entry'", Assert.Single(stderr));
    }

    [Fact]
    public async Task AnOptionWithoutItsValueIsAUsageError()
    {
        var (exitCode, stderr) = await RunAsync([ChildHost.ControlOption]);

        Assert.Equal(ChildHost.ExitCodeUsage, exitCode);
        Assert.Equal([Usage], stderr);
    }

    [Fact]
    public async Task AControlSocketThatCannotBeReachedIsNamedOnStderr()
    {
        var missing = Path.Combine(Path.GetTempPath(), "puma-no-such-directory-" + Guid.NewGuid().ToString("N"), "control");

        var (exitCode, stderr) = await RunAsync([ChildHost.ControlOption, missing]);

        Assert.Equal(ChildHost.ExitCodeControlClosed, exitCode);
        var line = Assert.Single(stderr);
        Assert.StartsWith($"Puma child host: cannot connect the control channel {missing}: ", line);
    }

    [Fact]
    public async Task AChildWhoseParentIsNotTheExpectedProcessExitsWithoutConnecting()
    {
        using var control = new ControlSocket();

        var (exitCode, stderr) = await RunAsync([ChildHost.ControlOption, control.Path, ChildHost.ParentPidOption, "1"]);

        Assert.Equal(ChildHost.ExitCodeControlClosed, exitCode);
        Assert.Empty(stderr);
        Assert.False(control.HasPendingConnection, "the child connected although its parent is not pid 1");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AChildConnectsWhenItsParentIsTheExpectedOneOrNoneIsGiven(bool givePid)
    {
        using var control = new ControlSocket();
        var pid = givePid ? Environment.ProcessId : 0;

        var run = RunAsync([ChildHost.ControlOption, control.Path, ChildHost.ParentPidOption, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using (await control.AcceptAsync())
        {
            // Closing the channel before a Start frame ends the child.
        }

        var (exitCode, stderr) = await run;
        Assert.Equal(ChildHost.ExitCodeControlClosed, exitCode);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task AFirstFrameThatIsNotStartIsAUsageError()
    {
        using var control = new ControlSocket();
        var run = RunAsync([ChildHost.ControlOption, control.Path]);
        await using (var channel = new ControlChannel(new NetworkStream(await control.AcceptAsync(), ownsSocket: true)))
        {
            await channel.SendAsync(ControlFrame.Empty(ControlMessageKind.Ping));
            var (exitCode, stderr) = await run;

            Assert.Equal(ChildHost.ExitCodeUsage, exitCode);
            Assert.Equal(["Puma child host: expected a Start frame, got Ping."], stderr);
        }
    }

    [Fact]
    public async Task ACorruptFirstFrameIsAUsageErrorThatSaysWhy()
    {
        using var control = new ControlSocket();
        var run = RunAsync([ChildHost.ControlOption, control.Path]);
        using (var socket = await control.AcceptAsync())
        {
            var header = new byte[5];
            BinaryPrimitives.WriteInt32LittleEndian(header, 0);
            header[4] = 200;
            await socket.SendAsync(header);
            var (exitCode, stderr) = await run;

            Assert.Equal(ChildHost.ExitCodeUsage, exitCode);
            Assert.Equal(["Puma child host: reading the Start frame failed: Corrupt control frame: unknown kind 200 (payload length 0)."], stderr);
        }
    }

    [Fact]
    public async Task AFirstFrameCutShortIsAUsageErrorThatSaysWhy()
    {
        using var control = new ControlSocket();
        var run = RunAsync([ChildHost.ControlOption, control.Path]);
        using (var socket = await control.AcceptAsync())
        {
            await socket.SendAsync(new byte[] { 1, 0 });
            socket.Shutdown(SocketShutdown.Send);
            var (exitCode, stderr) = await run;

            Assert.Equal(ChildHost.ExitCodeUsage, exitCode);
            Assert.Equal(["Puma child host: reading the Start frame failed: The control stream ended inside a frame header (2 of 5 bytes)."], stderr);
        }
    }

    /// <summary>Runs the host as <see cref="ChildProcess"/> would, with <paramref name="arguments"/> as its command line.</summary>
    private static async Task<(int ExitCode, List<string> Stderr)> RunAsync(string[] arguments)
    {
        var startInfo = new ProcessStartInfo(HostLocator.DotnetPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add("exec");
        if (HostLocator.FindParentRuntimeConfig() is { } runtimeConfig)
        {
            startInfo.ArgumentList.Add("--runtimeconfig");
            startInfo.ArgumentList.Add(runtimeConfig);
        }

        startInfo.ArgumentList.Add(HostLocator.HostPath);
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);

        using var process = await ProcessSpawner.StartAsync(startInfo);
        using var timeout = new CancellationTokenSource(ChildHarness.Timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
            await stdout;
            await process.WaitForExitAsync(timeout.Token);
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            return (process.ExitCode, lines);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    /// <summary>A listening Unix socket in a private temporary directory, as <see cref="ChildProcess"/> makes one.</summary>
    private sealed class ControlSocket : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("puma-test-");
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

        public ControlSocket()
        {
            Path = System.IO.Path.Combine(_directory.FullName, "control");
            _listener.Bind(new UnixDomainSocketEndPoint(Path));
            _listener.Listen(1);
        }

        public string Path { get; }

        public bool HasPendingConnection => _listener.Poll(0, SelectMode.SelectRead);

        public async Task<Socket> AcceptAsync()
        {
            using var timeout = new CancellationTokenSource(ChildHarness.Timeout);
            return await _listener.AcceptAsync(timeout.Token);
        }

        public void Dispose()
        {
            _listener.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
