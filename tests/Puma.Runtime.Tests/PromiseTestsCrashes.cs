using System.Diagnostics;
using Puma.Runnables;
using Puma.Runtime.Tests.Parent;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.PromiseTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>README, "Crashes" and "Restarts across processes": a child killed outright (kill -9).</summary>
public class PromiseTestsCrashes
{
    /// <summary>
    /// Producer (thread) -> processor (child, killed) -> consumer (either placement). The consumer is slow,
    /// so a backlog is still in the ring when the child dies: the consumer drains it, then its input
    /// completes with the supervisor's <see cref="ChildProcessDiedException"/>, and it ends. (A ring whose
    /// writer died without anyone completing it would end with PeerProcessDiedException instead, found by
    /// the reader's liveness check; a buffer never completed would leave the consumer waiting.)
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AKilledChildsBuffersCompleteWithChildProcessDiedSoItsReadersEnd(Placement consumerPlacement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Continue);
        var raw = runtime.CreateBuffer<Frame>("raw", 16, capacityBytes: 16 * 1024);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 16, capacityBytes: 16 * 1024);
        runtime.Add(new Producer { Name = "producer", Output = raw.Writer, Endless = true }, Placement.Thread);
        runtime.Add(new Scale { Name = "processor", Input = raw.Reader, Output = scaled.Writer }, Placement.Process);
        runtime.Add(new ErrorRecorder { Name = "consumer", Input = scaled.Reader, DelayPerItemMs = 2 }, consumerPlacement);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("processor", new GetPid());
        await EventuallyAsync(async () => await runtime.AskAsync<long>("consumer", new GetState("")) > 20, "frames reach the consumer");

        Process.GetProcessById(pid).Kill();
        var ended = await NextStatusAsync(runtime, "consumer");
        Assert.Matches(@"^ended after \d+: Puma\.Runtime\.ChildProcessDiedException$", ended);
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("processor", failure.RunnableName);
        var died = Assert.IsType<ChildProcessDiedException>(failure.InnerException);
        Assert.Equal(pid, died.ProcessId);
        Assert.Equal(pid, failure.ProcessId);
    }

    /// <summary>
    /// A child with buffer ports killed outright cannot hand its ring slots back, so even under the restart
    /// policy it is not restarted (a restart could not attach its dead slot): its buffers complete with the
    /// error and the pipeline stops. WaitAsync reports the kill itself, with the child's pid, and nothing
    /// is left running.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task KillingAChildWithBufferPortsUnderTheRestartPolicyStopsThePipelineCleanly(Placement others)
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)));
        var raw = runtime.CreateBuffer<Frame>("raw", 16, capacityBytes: 16 * 1024);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 16, capacityBytes: 16 * 1024);
        runtime.Add(new Producer { Name = "producer", Output = raw.Writer, Endless = true }, others);
        runtime.Add(new Scale { Name = "processor", Input = raw.Reader, Output = scaled.Writer }, Placement.Process);
        runtime.Add(new ErrorRecorder { Name = "consumer", Input = scaled.Reader, DelayPerItemMs = 2 }, others);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("processor", new GetPid());
        await EventuallyAsync(async () => await runtime.AskAsync<long>("consumer", new GetState("")) > 20, "frames reach the consumer");

        Process.GetProcessById(pid).Kill();
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("processor", failure.RunnableName);
        Assert.True(failure.InnerException is ChildProcessDiedException, failure.ToString());
        Assert.Equal(pid, ((ChildProcessDiedException)failure.InnerException!).ProcessId);
        Assert.Equal(pid, failure.ProcessId);
        // Not restarted: the slot still holds the killed run, which takes no more requests.
        var notRunning = await Record.ExceptionAsync(() => runtime.AskAsync<int>("processor", new GetPid()));
        Assert.True(notRunning is not null && IsNotRunning(notRunning), notRunning?.ToString() ?? "the processor answered: it was restarted");
        Assert.False(ChildHarness.IsAlive(pid));
        var stop = await runtime.StopAsync();
        Assert.True(stop.AllStopped, $"killed: {string.Join(",", stop.Killed)} abandoned: {string.Join(",", stop.Abandoned)}");
    }

    /// <summary>
    /// A child that dies without reporting is seen at once, through its control channel closing: from the
    /// kill to WaitAsync's failure takes milliseconds. The fallbacks that would hide a broken detection are
    /// slower: the wait for a dead child's stdout/stderr pipes gives up after 2 s, and readers of its rings
    /// only find a dead writer at their 250 ms liveness checks (which end the readers, not the report). The
    /// bound is on the median of 3 kills, at 1 s: far above a loaded 2-core machine's tens of milliseconds,
    /// far below the 2 s pipe fallback.
    /// </summary>
    [Fact]
    public async Task AKilledChildIsReportedWithinASecond()
    {
        var latencies = new List<TimeSpan>();
        for (var round = 0; round < 3; round++)
        {
            await using var runtime = NewRuntime();
            runtime.Add(new Chatty { Name = "victim" }, Placement.Process);
            await runtime.StartAsync();
            var pid = await runtime.AskAsync<int>("victim", new GetState("pid"));
            var failed = Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

            var clock = Stopwatch.StartNew();
            Process.GetProcessById(pid).Kill();
            var failure = await failed;
            latencies.Add(clock.Elapsed);
            Assert.Equal(pid, Assert.IsType<ChildProcessDiedException>(failure.InnerException).ProcessId);
        }
        var median = latencies.Order().ElementAt(1);
        Assert.True(median < TimeSpan.FromSeconds(1),
            $"median {median.TotalMilliseconds:F0} ms from the kill to the report (all: {string.Join(", ", latencies.Select(l => l.TotalMilliseconds.ToString("F0")))} ms)");
    }
}
