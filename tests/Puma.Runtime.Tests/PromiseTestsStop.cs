using System.Diagnostics;
using Puma.Runnables;
using Puma.Runtime.Tests.Parent;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.PromiseTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>README, "Stop": the forced end after the timeout, and DisposeAsync's use of StopTimeout.</summary>
public class PromiseTestsStop
{
    /// <summary>
    /// A runnable that ignores Stop is given up after the timeout: a thread runnable is abandoned and its
    /// output completed at once (normally: it did not fail); a process runnable is really killed (its pid is
    /// gone long before its 8 s handler would have returned), and its reader ends on the dead writer.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AForcedEndReleasesTheRunnablesOutputsAndKillsItsChild(Placement placement)
    {
        await using var runtime = NewRuntime();
        var output = runtime.CreateBuffer<Frame>("out", 4);
        runtime.Add(new StubbornWriter { Name = "stubborn", Output = output.Writer, IgnoreMs = 8000 }, placement);
        var reader = output.Reader;
        await runtime.StartAsync();
        var status = await NextStatusAsync(runtime, "stubborn");
        var pid = int.Parse(status["writer in ".Length..]);
        AssertRunsIn(placement, pid);
        Assert.Equal(0, (await ReadOneAsync(reader)).Seq);

        var clock = Stopwatch.StartNew();
        var stop = await runtime.StopAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(["stubborn"], placement == Placement.Process ? stop.Killed : stop.Abandoned);
        // Well before the handler's 8 s are over: the reader ends because the stop released the output.
        var completion = await Record.ExceptionAsync(async () => Assert.False(await reader.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"the output ended after {clock.Elapsed}");
        if (placement == Placement.Thread)
        {
            Assert.Null(completion);
        }
        else
        {
            Assert.False(ChildHarness.IsAlive(pid), $"child {pid} still runs after it was reported killed");
            // Killed, it could not give its writer reference back: the reader finds the dead writer.
            var died = Assert.IsType<Puma.Buffers.SharedMemory.PeerProcessDiedException>(completion);
            Assert.Equal(pid, died.ProcessId);
        }
        Assert.False(reader.TryRead(out _));
    }

    /// <summary>
    /// DisposeAsync stops what still runs with PumaOptions.StopTimeout: here 500 ms, against a handler that
    /// ignores Stop for 6 s and the default timeout of 5 s. The bound (3 s) is far from both.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task DisposeHonoursTheStopTimeout(Placement placement)
    {
        var runtime = NewRuntime(stopTimeout: TimeSpan.FromMilliseconds(500));
        runtime.Add(new Stubborn { Name = "stubborn", IgnoreMs = 6000 }, placement);
        runtime.Add(new Ticker { Name = "polite", IntervalMs = 50 }, placement);
        await runtime.StartAsync();
        var status = await NextStatusAsync(runtime, "stubborn");
        var pid = int.Parse(status["ignoring stop in ".Length..]);
        AssertRunsIn(placement, pid);

        var clock = Stopwatch.StartNew();
        await runtime.DisposeAsync().AsTask().WaitAsync(Patience);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(450), $"dispose gave up after {clock.Elapsed}, before the stop timeout");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {clock.Elapsed} with a 500 ms stop timeout");
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.True(await EndedAsync(runtime, "polite"));
        // Killed: gone within moments (SIGKILL is delivered asynchronously), long before its handler's 6 s are over.
        if (placement == Placement.Process)
            await EventuallyAsync(() => Task.FromResult(!ChildHarness.IsAlive(pid)), $"child {pid} is gone after dispose", TimeSpan.FromSeconds(3));
    }
}
