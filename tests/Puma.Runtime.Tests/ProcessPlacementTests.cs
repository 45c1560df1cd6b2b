using System.Diagnostics;
using System.Threading.Channels;
using Puma.Logging;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Serilog.Events;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>What only process placement has: child stack traces, crashes, kill -9, placeability, raw output.</summary>
public class ProcessPlacementTests
{
    [Fact]
    public async Task AChildRunsTheRunnableUnderItsNameAndANullAnswerArrivesAsNull()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "named-in-child", IntervalMs = 1000 }, Placement.Process);
        runtime.Add(new NullAnswerer { Name = "silent" }, Placement.Process);
        await runtime.StartAsync();

        Assert.Equal("named-in-child:q:0", await runtime.AskAsync<string>("named-in-child", new GetState("q")));
        Assert.Null(await runtime.AskAsync<string?>("silent", new GetState("q")));
        await runtime.StopAsync();
    }

    [Fact]
    public async Task AFailureCarriesTheChildsStackTraceAndPid()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "remote", IntervalMs = 1000 }, Placement.Process);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("remote", new GetPid());
        PromiseTestSupport.AssertRunsIn(Placement.Process, pid);
        await runtime.SendAsync("remote", new Boom("remote kaboom"));

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("remote", failure.RunnableName);
        Assert.Equal(Placement.Process, failure.Placement);
        Assert.Equal(pid, failure.ProcessId);
        var remote = Assert.IsType<RemoteException>(failure.InnerException);
        Assert.Equal(typeof(InvalidOperationException).FullName, remote.RemoteType);
        Assert.Equal("remote kaboom", remote.Message);
        Assert.Contains("Ticker", remote.StackTrace);
        Assert.Contains("RunnableLoop", remote.StackTrace);
    }

    [Fact]
    public async Task KillingAProcessorMidStreamStopsThePipelineCleanly()
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 64, capacityBytes: 64 * 1024);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 64, capacityBytes: 64 * 1024);
        var done = runtime.CreateBuffer<Summary>("done", 4);
        runtime.Add(new Producer { Name = "producer", Output = raw.Writer, Endless = true }, Placement.Thread);
        runtime.Add(new Scale { Name = "processor", Input = raw.Reader, Output = scaled.Writer }, Placement.Process);
        runtime.Add(new Collector { Name = "consumer", Input = scaled.Reader, Output = done.Writer }, Placement.Thread);
        var summaries = done.Reader;
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("processor", new GetPid());
        await EventuallyAsync(async () => await runtime.AskAsync<long>("consumer", new GetState("")) > 1000, "frames flow through the child");

        var clock = Stopwatch.StartNew();
        Process.GetProcessById(pid).Kill();
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("processor", failure.RunnableName);
        Assert.IsType<ChildProcessDiedException>(failure.InnerException);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the pipeline took {clock.Elapsed} to stop");
        // The consumer was not left blocked: its input completed with the failure, so it ended.
        Assert.False(summaries.TryRead(out _));
        Assert.True((await runtime.StopAsync()).AllStopped);
    }

    [Fact]
    public async Task KillingAChildIsReportedWithItsSignal()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Chatty { Name = "victim" }, Placement.Process);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("victim", new GetState("pid"));
        PromiseTestSupport.AssertRunsIn(Placement.Process, pid);

        var clock = Stopwatch.StartNew();
        Process.GetProcessById(pid).Kill();
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        var detectedAfter = clock.Elapsed;
        var died = Assert.IsType<ChildProcessDiedException>(failure.InnerException);
        Assert.Equal(pid, died.ProcessId);
        Assert.Equal(pid, failure.ProcessId);
        Assert.Equal(9, died.Signal);
        Assert.Contains("SIGKILL", died.Message);
        Assert.True(detectedAfter < TimeSpan.FromSeconds(5), $"detected after {detectedAfter}");
    }

    [Fact]
    public async Task AKilledChildIsRestartedUnderTheRestartPolicy()
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(2, TimeSpan.FromMinutes(1)));
        runtime.Add(new Chatty { Name = "phoenix" }, Placement.Process);
        await runtime.StartAsync();
        var first = await runtime.AskAsync<int>("phoenix", new GetState("pid"));
        Process.GetProcessById(first).Kill();

        var second = 0;
        await EventuallyAsync(async () =>
        {
            try
            {
                second = await runtime.AskAsync<int>("phoenix", new GetState("pid"));
                return second != first;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }, "the restarted child answers");
        Assert.NotEqual(first, second);
        Assert.True((await runtime.StopAsync()).AllStopped);
    }

    [Fact]
    public async Task ChildLogsArriveWithPropertiesAndExceptionsIncludingRightBeforeFailFast()
    {
        var sink = new CollectingSink();
        await using var runtime = new PumaRuntime(new PumaOptions { Logger = sink.CreateLogger() });
        runtime.Add(new Chatty { Name = "chatty" }, Placement.Process);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("chatty", new GetState("pid"));
        await runtime.SendAsync("chatty", new Print("hello {not a placeholder}"));
        await runtime.SendAsync("chatty", new Crash("goodbye"));
        await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

        var last = sink.Events.Single(e => e.MessageTemplate.Text.StartsWith("Last words"));
        Assert.Equal(LogEventLevel.Warning, last.Level);
        Assert.Equal("\"goodbye\"", last.Properties["Words"].ToString());
        Assert.Equal("42", last.Properties["Count"].ToString());
        Assert.Equal("Point { X: 3, Y: 4 }", last.Properties["Where"].ToString());
        Assert.Equal("[\"a\", \"b\"]", last.Properties["Tags"].ToString());
        Assert.Equal("\"chatty\"", last.Properties["Runnable"].ToString());
        Assert.Equal(pid.ToString(), last.Properties["ProcessId"].ToString());
        var exception = Assert.IsType<RemoteException>(last.Exception);
        Assert.Equal("inner trouble", exception.Message);

        await EventuallyAsync(() => Task.FromResult(sink.Events.Any(e => e.Properties.TryGetValue("Line", out var l) && l.ToString().Contains("stderr: hello"))), "the stderr line");
        var stdout = sink.Events.Single(e => e.Properties.TryGetValue("Line", out var l) && l.ToString().Contains("stdout: hello {not a placeholder}"));
        Assert.Equal("\"chatty\"", stdout.Properties["Runnable"].ToString());
        Assert.Equal("\"stdout\"", stdout.Properties["Stream"].ToString());
    }

    [Fact]
    public async Task ARunnableThatCannotBeBuiltInTheChildFailsWithTheChildsErrorNotAsADeadChild()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new FailsToBuildInAChild { Name = "unbuildable" }, Placement.Process);
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("unbuildable", failure.RunnableName);
        var remote = Assert.IsType<RemoteException>(failure.InnerException);
        Assert.Equal("Puma.Runtime.RunnablePlacementException", remote.RemoteType);
        Assert.Equal(
            $"Runnable {typeof(FailsToBuildInAChild).FullName} cannot run in a child process: its constructor threw InvalidOperationException: {FailsToBuildInAChild.Message}",
            remote.Message);
    }

    [Fact]
    public async Task AnUnplaceableRunnableFailsAtStartNamingTheProperty()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Unplaceable { Callback = () => 1 }, Placement.Process);
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        Assert.Contains("Unplaceable.Callback", error.Message);
    }

    [Fact]
    public async Task APlainChannelPortCannotCrossAProcess()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new PlainPorted { Input = Channel.CreateUnbounded<int>().Reader }, Placement.Process);
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        Assert.Contains("port Input is a plain in-process channel", error.Message);
    }
}
