using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.Faults.FaultTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Faults;

/// <summary>Issue 9, defect 3: <see cref="PumaRuntime.Runnables"/> shows each runnable's placement, pid, state, restarts and last exit.</summary>
public class RunnableInfoTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARunnableIsShownFromAddedToStopped(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "sentinel" }, placement);
        Assert.Equal(new RunnableInfo("sentinel", placement, RunnableState.NotStarted, 0, 0, null), Assert.Single(runtime.Runnables));

        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("sentinel", new GetPid());
        Assert.Equal(new RunnableInfo("sentinel", placement, RunnableState.Running, pid, 0, null), runtime.GetRunnable("sentinel"));

        await runtime.StopAsync();
        var exit = placement == Placement.Process ? new ChildExitStatus(0, null, null) : null;
        Assert.Equal(new RunnableInfo("sentinel", placement, RunnableState.Stopped, pid, 0, exit), runtime.GetRunnable("sentinel"));
        Assert.True(placement == Placement.Process ? pid != Environment.ProcessId : pid == Environment.ProcessId);
    }

    [Fact]
    public async Task AKilledChildIsShownFailedWithItsPidAndSignal()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "victim" }, Placement.Process);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("victim", new GetPid());

        KillNine(pid);
        await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

        Assert.Equal(new RunnableInfo("victim", Placement.Process, RunnableState.Failed, pid, 0, new ChildExitStatus(137, 9, "SIGKILL")),
            runtime.GetRunnable("victim"));
    }

    [Fact]
    public async Task AChildBeingSpawnedIsStartingAndAfterAFailureRestarting()
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)));
        runtime.Add(new Sentinel { Name = "sentinel" }, Placement.Process);
        await runtime.StartAsync();
        // Spawning a child takes tens of milliseconds at least: it is not ready yet.
        Assert.Equal(RunnableState.Starting, runtime.GetRunnable("sentinel").State);
        await runtime.AskAsync<int>("sentinel", new GetPid()).WaitAsync(Patience);
        Assert.Equal(RunnableState.Running, runtime.GetRunnable("sentinel").State);

        await runtime.SendAsync("sentinel", new Boom("fail once"));
        var seen = new List<RunnableState>();
        await EventuallyAsync(() =>
        {
            var info = runtime.GetRunnable("sentinel");
            if (seen.Count == 0 || seen[^1] != info.State)
                seen.Add(info.State);
            return Task.FromResult(info is { State: RunnableState.Running, RestartCount: 1 });
        }, "the restarted run is running");
        // Between the failed child and the new one's Ready (a spawn, tens of milliseconds) it is Restarting, never Starting again.
        Assert.Contains(RunnableState.Restarting, seen);
        Assert.DoesNotContain(RunnableState.Starting, seen);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARestartedRunnableShowsItsRestartCountAndItsNewProcess(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)));
        runtime.Add(new Sentinel { Name = "sentinel" }, placement);
        await runtime.StartAsync();
        var first = await runtime.AskAsync<int>("sentinel", new GetPid());

        await runtime.SendAsync("sentinel", new Boom("fail once"));
        await EventuallyAsync(() => Task.FromResult(runtime.GetRunnable("sentinel") is { State: RunnableState.Running, RestartCount: 1 }), "the restarted run is running");
        var second = await runtime.AskAsync<int>("sentinel", new GetPid());

        var exit = placement == Placement.Process ? new ChildExitStatus(1, null, null) : null; // the failed child's exit
        Assert.Equal(new RunnableInfo("sentinel", placement, RunnableState.Running, second, 1, exit), runtime.GetRunnable("sentinel"));
        Assert.Equal(placement == Placement.Process, first != second);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARunnableThatIgnoresStopIsShownKilledOrAbandoned(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Stubborn { Name = "stubborn", IgnoreMs = 4000 }, placement);
        await runtime.StartAsync();
        await ReadOneAsync(runtime.Status); // its tick handler is busy ignoring stop

        await runtime.StopAsync(TimeSpan.FromMilliseconds(300));

        var info = runtime.GetRunnable("stubborn");
        Assert.Equal(placement == Placement.Process ? RunnableState.Killed : RunnableState.Abandoned, info.State);
        if (placement == Placement.Process)
        {
            await EventuallyAsync(() => Task.FromResult(runtime.GetRunnable("stubborn").LastExit is not null), "the killed child's exit is known");
            Assert.Equal(new ChildExitStatus(137, 9, "SIGKILL"), runtime.GetRunnable("stubborn").LastExit);
            Assert.True(IsGone(info.ProcessId));
        }
    }

    [Fact]
    public async Task AnUnknownNameIsAnArgumentErrorThatListsTheRunnables()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "a" });
        runtime.Add(new Sentinel { Name = "b" });

        var error = Assert.Throws<ArgumentException>(() => runtime.GetRunnable("c"));

        Assert.Equal("runnableName", error.ParamName);
        Assert.StartsWith("No runnable named 'c'; the runtime has: a, b.", error.Message);
    }
}
