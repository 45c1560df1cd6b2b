using System.Diagnostics;
using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runtime.Child;
using Puma.Runtime.Parent;
using Puma.Runtime.Tests.Child;
using Puma.Runtime.Tests.Wire;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Parent;

public sealed class ChildProcessTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Child_rebuilds_the_runnable_from_its_configuration_and_completes()
    {
        var sample = new EchoSample
        {
            Name = "alpha",
            Gain = 3.5,
            Taps = [4, 5],
            Mode = SampleMode.Careful,
            Options = new SampleOptions("o", [1.5]),
            Limits = new() { ["x"] = 7 },
            Input = Channel.CreateUnbounded<int>().Reader,
            Output = Channel.CreateUnbounded<string>().Writer,
        };
        var start = ChildHarness.StartMessage(sample);
        await using var running = await ChildHarness.StartAsync(null);
        var child = running.Process;
        Assert.False(Directory.Exists(child.SocketDirectory), "the control socket directory is removed once the child connected");

        await child.Channel.SendAsync(Puma.Runtime.Wire.StartFrame.Create(start));
        var started = await child.ReadAsync(ControlMessageKind.Started);
        Assert.Equal(child.Pid, StartedFrame.Read(started).ProcessId);

        var echo = (await child.ReadAsync(ControlMessageKind.Status)).Read(WireJsonContext.Default.RunnableConfiguration);
        Assert.Equal(start.Configuration.Properties.GetRawText(), echo.Properties.GetRawText());
        Assert.Equal(start.Configuration.Ports.OrderBy(p => p.Key), echo.Ports.OrderBy(p => p.Key));
        Assert.Equal("buffer-Input", echo.Ports["Input"].BufferName);

        Assert.Equal(ChildEndedMessage.Completed, EndedFrame.Read(await child.ReadAsync(ControlMessageKind.Ended)));
        var exit = await child.Exited.WaitAsync(ExitTimeout);
        Assert.Equal(new ChildExit(0, null), exit);
        Assert.Contains("echo alpha", running.Output.Out.Lines);
        Assert.Contains("echo-err alpha", running.Output.Err.Lines);
        Assert.Contains("copies 1 1 True", running.Output.Out.Lines);
    }

    [Fact]
    public async Task A_failed_loop_ends_with_one_Ended_frame_and_exit_code_1()
    {
        var start = ChildStartMessage.For(new LoopFailingRunnable(), "failing", ChildHarness.Bind, "Debug", ChildHostSetup.IsRunnableBaseProperty);
        await using var running = await ChildHarness.StartAsync(null);
        var child = running.Process;
        await child.Channel.SendAsync(Puma.Runtime.Wire.StartFrame.Create(start));
        await child.ReadAsync(ControlMessageKind.Started);
        var kinds = new List<ControlMessageKind>();
        ChildEndedMessage? ended = null;
        while (await child.Channel.ReadAsync(new CancellationTokenSource(ChildHarness.Timeout).Token) is { } frame)
        {
            if (frame.Kind != ControlMessageKind.Log)
                kinds.Add(frame.Kind);
            if (frame.Kind == ControlMessageKind.Ended)
                ended = EndedFrame.Read(frame);
        }

        Assert.Equal([ControlMessageKind.Ready, ControlMessageKind.Ended], kinds);
        Assert.Equal("Failed", ended!.Kind);
        Assert.True(ended.IsFailure);
        Assert.Equal("System.InvalidOperationException", ended.Error!.Type);
        Assert.Equal("the loop broke", ended.Error.Message);
        var exit = await child.Exited.WaitAsync(ExitTimeout);
        Assert.Equal(new ChildExit(ChildHost.ExitCodeFailed, null), exit);
    }

    /// <summary>A runnable whose loop fails: its child reports Ended (Failed), not the host's Failed frame.</summary>
    public sealed class LoopFailingRunnable : Runnable
    {
        /// <inheritdoc/>
        protected override Task RunAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("the loop broke");
    }

    [Fact]
    public async Task Failure_is_reported_with_the_child_stack_trace_and_a_nonzero_exit()
    {
        await using var running = await ChildHarness.StartAsync(new FailingSample { Reason = "it broke" });
        var child = running.Process;
        await child.ReadAsync(ControlMessageKind.Started);
        await child.ReadAsync(ControlMessageKind.Status);
        var failed = (await child.ReadAsync(ControlMessageKind.Failed)).Read(WireJsonContext.Default.ChildFailedMessage);
        Assert.Equal("System.InvalidOperationException", failed.ExceptionType);
        Assert.Equal("it broke", failed.Message);
        Assert.Contains(nameof(FailingSample), failed.StackTrace);
        Assert.Contains("ThrowDeep", failed.StackTrace);
        Assert.Contains("it broke", failed.Text);
        Assert.Equal(child.Pid, failed.ProcessId);

        var exit = await child.Exited.WaitAsync(ExitTimeout);
        Assert.Equal(ChildHost.ExitCodeFailed, exit.ExitCode);
        Assert.Null(exit.Signal);
    }

    [Fact]
    public async Task Lines_printed_just_before_FailFast_arrive()
    {
        await using var running = await ChildHarness.StartAsync(new FailFastSample());
        var exit = await running.Process.Exited.WaitAsync(ExitTimeout);
        Assert.Contains("last words out", running.Output.Out.Lines);
        Assert.Contains("last words err", running.Output.Err.Lines);
        Assert.Contains(running.Output.Err.Lines, l => l.Contains("sample fail-fast", StringComparison.Ordinal));
        Assert.NotEqual(0, exit.ExitCode);
        if (!OperatingSystem.IsWindows())
            Assert.Equal("SIGABRT", exit.SignalName);
    }

    [Fact]
    public async Task Unhandled_exception_on_another_thread_is_reported_and_ends_the_child()
    {
        await using var running = await ChildHarness.StartAsync(new ThreadCrashSample());
        var child = running.Process;
        await child.ReadAsync(ControlMessageKind.Started);
        await child.ReadAsync(ControlMessageKind.Status);
        var failed = (await child.ReadAsync(ControlMessageKind.Failed)).Read(WireJsonContext.Default.ChildFailedMessage);
        Assert.Equal(typeof(ApplicationException).FullName, failed.ExceptionType);
        Assert.Equal("crash on a worker thread", failed.Message);
        var exit = await child.Exited.WaitAsync(ExitTimeout);
        Assert.NotEqual(0, exit.ExitCode);
    }

    [Fact]
    public async Task Kill_9_is_observed_with_its_signal_within_a_second()
    {
        await using var running = await ChildHarness.StartAsync(new WaitingSample());
        var child = running.Process;
        await child.ReadAsync(ControlMessageKind.Started);

        var clock = Stopwatch.StartNew();
        ChildHarness.KillPid(child.Pid);
        var exit = await child.Exited.WaitAsync(TimeSpan.FromSeconds(1));
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(137, exit.ExitCode);
            Assert.Equal(9, exit.Signal);
            Assert.Equal("SIGKILL", exit.SignalName);
        }
    }

    [Fact]
    public async Task A_killed_child_leaves_no_diagnostics_socket_or_debugger_pipes_behind()
    {
        if (!OperatingSystem.IsLinux())
            return; // the runtime's IPC files and /proc are Linux's

        await using var running = await ChildHarness.StartAsync(new WaitingSample());
        var child = running.Process;
        await child.ReadAsync(ControlMessageKind.Started);
        var files = RuntimeIpcFiles.Of(child.Pid)!.Value;
        Assert.Equal(3, IpcFilesOf(files).Length); // created by the child's runtime at startup
        Assert.Equal(files.Paths.Order(), IpcFilesOf(files).Order());

        ChildHarness.KillPid(child.Pid);
        var exit = await child.Exited.WaitAsync(ExitTimeout);

        Assert.Equal(9, exit.Signal);
        Assert.Empty(IpcFilesOf(files));
    }

    [Fact]
    public async Task A_child_that_exits_by_itself_removes_its_own_diagnostics_files()
    {
        if (!OperatingSystem.IsLinux())
            return; // the runtime's IPC files and /proc are Linux's

        await using var running = await ChildHarness.StartAsync(new WaitingSample());
        var child = running.Process;
        await child.ReadAsync(ControlMessageKind.Started);
        var files = RuntimeIpcFiles.Of(child.Pid)!.Value;
        Assert.Equal(3, IpcFilesOf(files).Length);

        await child.Channel.DisposeAsync();
        var exit = await child.Exited.WaitAsync(ExitTimeout);

        Assert.Null(exit.Signal);
        Assert.Empty(IpcFilesOf(files));
    }

    [Fact]
    public async Task A_killed_child_with_its_own_TMPDIR_leaves_nothing_there()
    {
        if (!OperatingSystem.IsLinux())
            return; // the runtime's IPC files and /proc are Linux's

        var tmp = Directory.CreateTempSubdirectory("puma-test-");
        try
        {
            await using var running = await ChildHarness.StartAsync(new WaitingSample(), new Dictionary<string, string?> { ["TMPDIR"] = tmp.FullName });
            var child = running.Process;
            await child.ReadAsync(ControlMessageKind.Started);
            var files = RuntimeIpcFiles.Of(child.Pid, tmp.FullName)!.Value;
            Assert.Equal(3, IpcFilesOf(files).Length); // the child's runtime made them in its TMPDIR

            ChildHarness.KillPid(child.Pid);
            await child.Exited.WaitAsync(ExitTimeout);

            Assert.Empty(IpcFilesOf(files));
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The diagnostics files of the process <paramref name="pid"/> started at <paramref name="key"/> (its start time):
    /// files of an earlier process that had the same pid (killed, so its files stayed) do not count.
    /// </summary>
    private static string[] IpcFilesOf(int pid, string key, string directory) =>
    [
        .. Directory.GetFiles(directory, $"dotnet-diagnostic-{pid}-{key}-*"),
        .. Directory.GetFiles(directory, $"clr-debug-pipe-{pid}-{key}-*"),
    ];

    private static string[] IpcFilesOf(RuntimeIpcFiles files) => IpcFilesOf(files.Pid, files.Key, files.TempDirectory);

    [Fact]
    public async Task Child_exits_when_the_parent_closes_the_control_channel()
    {
        await using var running = await ChildHarness.StartAsync(new WaitingSample());
        var child = running.Process;
        await child.ReadAsync(ControlMessageKind.Started);
        await child.Channel.DisposeAsync();
        var exit = await child.Exited.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ChildHost.ExitCodeControlClosed, exit.ExitCode);
        Assert.False(ChildHarness.IsAlive(child.Pid));
    }

    [Fact]
    public async Task Ping_is_answered_and_Stop_ends_the_runnable()
    {
        await using var running = await ChildHarness.StartAsync(new WaitingSample());
        var child = running.Process;
        await child.ReadAsync(ControlMessageKind.Started);
        await child.ReadAsync(ControlMessageKind.Status);

        await child.Channel.SendAsync(new ControlFrame(ControlMessageKind.Ping, new byte[] { 7, 8, 9 }));
        var pong = await child.ReadAsync(ControlMessageKind.Ping);
        Assert.Equal(new byte[] { 7, 8, 9 }, pong.Payload.ToArray());

        await child.Channel.SendAsync(ControlFrame.Empty(ControlMessageKind.Stop));
        Assert.Equal(ChildEndedMessage.Completed, EndedFrame.Read(await child.ReadAsync(ControlMessageKind.Ended)));
        Assert.Equal(0, (await child.Exited.WaitAsync(ExitTimeout)).ExitCode);
        Assert.Contains("stopping", running.Output.Out.Lines);
    }

    [Fact]
    public async Task Child_dies_with_its_parent()
    {
        var grandchild = 0;
        RuntimeIpcFiles? grandchildFiles = null;
        try
        {
            await using var parent = await ChildHarness.StartAsync(new SpawningSample());
            await parent.Process.ReadAsync(ControlMessageKind.Started);

            var clock = Stopwatch.StartNew();
            while (grandchild == 0 && clock.Elapsed < ChildHarness.Timeout && !parent.Process.Exited.IsCompleted)
            {
                var line = parent.Output.Out.Lines.FirstOrDefault(l => l.StartsWith("grandchild ", StringComparison.Ordinal));
                if (line is not null)
                {
                    Assert.EndsWith(" Started", line);
                    grandchild = int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    await Task.Delay(20);
                }
            }

            Assert.True(grandchild != 0, $"no grandchild pid; stdout: {parent.Output.Out}; stderr: {parent.Output.Err}");
            Assert.True(ChildHarness.IsAlive(grandchild));
            grandchildFiles = RuntimeIpcFiles.Of(grandchild);

            ChildHarness.KillPid(parent.Process.Pid);
            Assert.Equal(9, (await parent.Process.Exited.WaitAsync(ExitTimeout)).Signal);

            clock.Restart();
            while (ChildHarness.IsAlive(grandchild) && clock.Elapsed < TimeSpan.FromSeconds(5))
                await Task.Delay(20);

            Assert.False(ChildHarness.IsAlive(grandchild), "the grandchild outlived its parent");
        }
        finally
        {
            if (grandchild != 0 && ChildHarness.IsAlive(grandchild))
                ChildHarness.KillPid(grandchild);
            grandchildFiles?.Remove(); // it died with its parent, which would have removed them: nobody else does
        }
    }

    [Fact]
    public async Task A_child_started_from_a_thread_that_then_exits_survives()
    {
        // PR_SET_PDEATHSIG fires when the forking thread exits: children must be forked from a thread that lives on.
        RunningChild? running = null;
        var thread = new Thread(() => running = ChildHarness.StartAsync(new WaitingSample()).GetAwaiter().GetResult());
        thread.Start();
        thread.Join();
        Assert.NotNull(running);
        await using (running)
        {
            await running.Process.ReadAsync(ControlMessageKind.Started);
            await running.Process.ReadAsync(ControlMessageKind.Status);
            await Task.Delay(300);
            await running.Process.Channel.SendAsync(ControlFrame.Empty(ControlMessageKind.Ping));
            await running.Process.ReadAsync(ControlMessageKind.Ping);
            Assert.False(running.Process.Exited.IsCompleted);
        }
    }

    [Fact]
    public async Task Concurrently_started_children_do_not_hold_each_others_channel()
    {
        var children = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ChildHarness.StartAsync(new WaitingSample())));
        try
        {
            foreach (var child in children)
                await child.Process.ReadAsync(ControlMessageKind.Started);

            await children[0].Process.Channel.DisposeAsync();
            Assert.Equal(ChildHost.ExitCodeControlClosed, (await children[0].Process.Exited.WaitAsync(TimeSpan.FromSeconds(5))).ExitCode);
            Assert.False(children[1].Process.Exited.IsCompleted);
            Assert.False(children[2].Process.Exited.IsCompleted);
            Assert.Equal(3, children.Select(c => c.Process.Pid).Distinct().Count());
        }
        finally
        {
            foreach (var child in children)
                await child.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_fails_clearly_when_the_host_exits_before_connecting()
    {
        var bogus = Path.Combine(AppContext.BaseDirectory, "does-not-exist.dll");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions { HostPath = bogus }));
        Assert.Contains("exited before connecting", error.Message);
        Assert.Contains("does-not-exist.dll", error.Message);
    }

    [Fact]
    public async Task Restore_errors_in_the_child_are_reported_as_failures()
    {
        var start = ChildHarness.StartMessage(new BaseFlagSample { Name = "n" });
        using var properties = System.Text.Json.JsonDocument.Parse("""{"Name":"n","Nope":1}""");
        start = start with { Configuration = start.Configuration with { Properties = properties.RootElement.Clone() } };
        await using var running = await ChildHarness.StartAsync(null);
        await running.Process.Channel.SendAsync(Puma.Runtime.Wire.StartFrame.Create(start));
        var failed = (await running.Process.ReadAsync(ControlMessageKind.Failed)).Read(WireJsonContext.Default.ChildFailedMessage);
        Assert.Equal(typeof(RunnablePlacementException).FullName, failed.ExceptionType);
        Assert.Contains($"{typeof(BaseFlagSample).FullName}.Nope", failed.Message);
        Assert.Equal(ChildHost.ExitCodeFailed, (await running.Process.Exited.WaitAsync(ExitTimeout)).ExitCode);
    }
}
