using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.PromiseTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

public class FailurePolicyTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task StopAllStopsTheOthersAndRethrows(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.StopAll);
        runtime.Add(new Ticker { Name = "healthy", IntervalMs = 50 }, placement);
        runtime.Add(new Ticker { Name = "doomed", IntervalMs = 50 }, placement);
        await runtime.StartAsync();

        await runtime.SendAsync("doomed", new Boom("kaboom"));
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("doomed", failure.RunnableName);
        AssertErrorType<InvalidOperationException>(failure.InnerException);
        // "healthy" was stopped: WaitAsync could only return because every runnable ended.
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => runtime.AskAsync<string>("healthy", new GetState("x")));
    }

    /// <summary>
    /// A writer may notice that its reader's process died before the supervisor has recorded that death (the
    /// ring is full and the reader's pid is gone): WaitAsync still reports the dead runnable, the cause.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AFailureCausedByABuffersDeadPeerIsReportedAfterTheCauseRecordedLater(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Continue);
        runtime.Add(new Ticker { Name = "writer", IntervalMs = 50 }, placement);
        runtime.Add(new Ticker { Name = "cause", IntervalMs = 50 }, placement);
        await runtime.StartAsync();

        await runtime.SendAsync("writer", new LoseReaders("Ring 'raw' has no live reader left to make room."));
        await EventuallyAsync(() => Task.FromResult(runtime.GetRunnable("writer").State == RunnableState.Failed), "the writer failed first");
        await runtime.SendAsync("cause", new Boom("the cause"));

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("cause", failure.RunnableName);
        Assert.Equal("the cause", failure.InnerException!.Message);
        Assert.Equal(RunnableState.Failed, runtime.GetRunnable("writer").State);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AFailureCausedByABuffersDeadPeerIsStillReportedWhenNothingElseFailed(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.StopAll);
        runtime.Add(new Ticker { Name = "writer", IntervalMs = 50 }, placement);
        runtime.Add(new Ticker { Name = "other", IntervalMs = 50 }, placement);
        await runtime.StartAsync();

        await runtime.SendAsync("writer", new LoseReaders("Ring 'raw' has no live reader left to make room."));

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("writer", failure.RunnableName);
        Assert.Equal("Ring 'raw' has no live reader left to make room.", failure.InnerException!.Message);
        Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("other").State); // the policy applies as to any failure
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task RestartRerunsTheRunnableAndTheStreamCompletes(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)));
        var raw = runtime.CreateBuffer<Frame>("raw", 4);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 4);
        runtime.Add(new Producer { Output = raw.Writer, Count = 100 }, placement);
        // Fails on frame 10 in its first run; the restarted run resumes with the next frame.
        runtime.Add(new Scale { Name = "flaky", Input = raw.Reader, Output = scaled.Writer, FailAt = 10, FailRuns = 1, Gain = 1 }, placement);
        var results = scaled.Reader;
        await runtime.StartAsync();

        var frames = await ReadAllAsync(results);
        await runtime.WaitAsync().WaitAsync(Patience);
        // Frame 10 was lost with the failed run (it was being handled); everything else arrived once, in order.
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 10).Select(i => (long)i), frames.Select(f => f.Seq));
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task RestartGivesUpWhenTheBudgetIsSpent(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(2, TimeSpan.FromMinutes(1)));
        var output = runtime.CreateBuffer<Frame>("out", 4);
        runtime.Add(new LoopSource { Name = "crasher", Output = output.Writer, FailAfterMs = 10, FailRuns = 100 }, placement);
        _ = output.Reader;
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("crasher", failure.RunnableName);
        Assert.Contains("failed on run 2", failure.Message);

        var runs = new List<string>();
        while (runtime.Status.TryRead(out var report))
            runs.Add(report.Value.ToString()!);
        Assert.Equal(["run 0", "run 1", "run 2"], runs);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task RestartsOutsideTheWindowDoNotCount(Placement placement)
    {
        // One restart allowed per 100 ms; failures come 400 ms apart, so all three are restarted.
        await using var runtime = NewRuntime(FailurePolicy.Restart(1, TimeSpan.FromMilliseconds(100)));
        var output = runtime.CreateBuffer<Frame>("out", 4);
        runtime.Add(new LoopSource { Name = "slow-crasher", Output = output.Writer, FailAfterMs = 400, FailRuns = 3, Count = 3 }, placement);
        var reader = output.Reader;
        await runtime.StartAsync();

        var frames = await ReadAllAsync(reader);
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(3, frames.Count);
        Assert.Equal(3, await CountRunsAsync(runtime) - 1);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ContinueKeepsTheOthersRunningAndReportsTheFailureAtTheEnd(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Continue);
        var raw = runtime.CreateBuffer<Frame>("raw", 4);
        var done = runtime.CreateBuffer<Summary>("done", 4);
        runtime.Add(new Ticker { Name = "doomed", IntervalMs = 50 }, placement);
        runtime.Add(new Producer { Name = "producer", Output = raw.Writer, Endless = true }, placement);
        runtime.Add(new Collector { Name = "collector", Input = raw.Reader, Output = done.Writer }, placement);
        _ = done.Reader;
        await runtime.StartAsync();
        await EventuallyAsync(async () => await runtime.AskAsync<long>("collector", new GetState("")) > 0, "frames flow");

        await runtime.SendAsync("doomed", new Boom("only me"));
        await EventuallyAsync(async () => await EndedAsync(runtime, "doomed"), "the doomed runnable ended");
        // The supervisor handled the failure right after the loop ended; under StopAll the others would be stopping by now.
        await Task.Delay(300);
        var before = await runtime.AskAsync<long>("collector", new GetState(""));
        await EventuallyAsync(async () => await runtime.AskAsync<long>("collector", new GetState("")) > before + 100, "frames still flow after the failure");

        var stop = await runtime.StopAsync();
        Assert.True(stop.AllStopped);
        Assert.Equal(["collector", "doomed", "producer"], stop.Stopped.Order());
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("doomed", failure.RunnableName);
        Assert.Equal("only me", failure.InnerException!.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AWriterWhoseReaderDiedFailsInsteadOfHanging(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Continue);
        var raw = runtime.CreateBuffer<Frame>("raw", 4);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 4);
        runtime.Add(new WatchfulProducer { Name = "producer", Output = raw.Writer }, placement);
        runtime.Add(new Scale { Name = "dies", Input = raw.Reader, Output = scaled.Writer, FailAt = 3 }, placement);
        _ = scaled.Reader;
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("dies", failure.RunnableName);
        // The writer did not hang: its write failed with BufferReaderGoneException (in a child: its copy), so it ended.
        Assert.Equal("write failed: Puma.Buffers.BufferReaderGoneException", await NextStatusAsync(runtime, "producer"));
        var stop = await runtime.StopAsync();
        Assert.True(stop.AllStopped);
    }

    private static async Task<int> CountRunsAsync(PumaRuntime runtime)
    {
        var runs = 0;
        while (runtime.Status.TryRead(out var report))
        {
            if (report.Value.ToString()!.StartsWith("run "))
                runs++;
        }

        await Task.CompletedTask;
        return runs;
    }
}
