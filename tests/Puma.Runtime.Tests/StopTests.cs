using System.Diagnostics;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

public class StopTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task StopEndsCooperativeRunnablesAndCompletesTheirOutputs(Placement placement)
    {
        await using var runtime = NewRuntime();
        var flood = runtime.CreateBuffer<Frame>("flood", 8);
        runtime.Add(new Producer { Name = "endless", Output = flood.Writer, Endless = true }, placement);
        runtime.Add(new Ticker { Name = "ticker" }, placement);
        var reader = flood.Reader;
        await runtime.StartAsync();
        await ReadOneAsync(reader);

        var stop = await runtime.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(stop.AllStopped);
        Assert.Equal(["endless", "ticker"], stop.Stopped.Order());
        await runtime.WaitAsync().WaitAsync(Patience);
        // The producer's output completed: the reader drains and ends.
        await ReadAllAsync(reader);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARunnableThatIgnoresStopIsGivenUpAfterTheTimeout(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Stubborn { Name = "stubborn", IgnoreMs = 8000 }, placement);
        runtime.Add(new Ticker { Name = "polite" }, placement);
        await runtime.StartAsync();
        var status = await PromiseTestSupport.NextStatusAsync(runtime, "stubborn");
        var pid = int.Parse(status["ignoring stop in ".Length..]);
        PromiseTestSupport.AssertRunsIn(placement, pid);

        var clock = Stopwatch.StartNew();
        // The stubborn runnable would take 8 s; the stop gives up after 3 s (not 1: on a loaded 2-core machine the
        // stubborn handler's blocked pool thread can delay the polite runnable's own stop by a second).
        var stop = await runtime.StopAsync(TimeSpan.FromSeconds(3));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(7.5), $"stop took {clock.Elapsed}");
        Assert.Equal(["polite"], stop.Stopped);
        var forced = placement == Placement.Process ? stop.Killed : stop.Abandoned;
        Assert.Equal(["stubborn"], forced);
        Assert.False(stop.AllStopped);
        // Killed means killed: the child is gone, long before its handler's 8 s are over.
        if (placement == Placement.Process)
            await EventuallyAsync(() => Task.FromResult(!Parent.ChildHarness.IsAlive(pid)), $"child {pid} is gone", TimeSpan.FromSeconds(3));
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task DisposeStopsWhatStillRuns(Placement placement)
    {
        var runtime = NewRuntime(stopTimeout: TimeSpan.FromSeconds(2));
        runtime.Add(new Ticker { Name = "ticker" }, placement);
        await runtime.StartAsync();
        await runtime.DisposeAsync().AsTask().WaitAsync(Patience);
        await runtime.WaitAsync().WaitAsync(Patience);
    }
}
