using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.PromiseTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>README, "Failures": per-runnable policies, the restart budget, what a restarted run keeps.</summary>
public class PromiseTestsPolicies
{
    /// <summary>
    /// The runtime's policy is StopAll, but Add gives "doomed" Continue and "phoenix" Restart: doomed's
    /// failure stops nothing, phoenix is run again, and only the end of the runtime reports doomed's failure.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task APolicyGivenToAddOverridesTheRuntimesPolicy(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.StopAll);
        runtime.Add(new Ticker { Name = "healthy", IntervalMs = 50 }, placement);
        runtime.Add(new Ticker { Name = "doomed", IntervalMs = 50 }, placement, FailurePolicy.Continue);
        runtime.Add(new FieldKeeper { Name = "phoenix" }, placement, FailurePolicy.Restart(1, TimeSpan.FromMinutes(1)));
        await runtime.StartAsync();
        Assert.Equal("0:0", await runtime.AskAsync<string>("phoenix", new GetState("")));

        await runtime.SendAsync("doomed", new Boom("doomed alone"));
        await EventuallyAsync(() => EndedAsync(runtime, "doomed"), "doomed ended");
        await runtime.SendAsync("phoenix", new Boom("phoenix rises"));
        await EventuallyAsync(async () => await RestartCountAsync(runtime, "phoenix") == 1, "phoenix was restarted");
        // The supervisor handled both failures right after their loops ended: under the runtime's StopAll
        // the others would be stopping by now.
        await Task.Delay(300);
        Assert.Equal("healthy:still:0", await runtime.AskAsync<string>("healthy", new GetState("still")));
        Assert.EndsWith(":1", await runtime.AskAsync<string>("phoenix", new GetState("")));

        var stop = await runtime.StopAsync();
        Assert.True(stop.AllStopped);
        Assert.Equal(["doomed", "healthy", "phoenix"], stop.Stopped.Order());
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("doomed", failure.RunnableName);
        Assert.Equal("doomed alone", failure.InnerException!.Message);
    }

    /// <summary>
    /// Restart(1 within a minute): the first failure is restarted, the second spends the budget, so the
    /// runtime stops all: "healthy", which never ends by itself, is stopped and WaitAsync reports the second failure.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ASpentRestartBudgetStopsTheOthers(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(1, TimeSpan.FromMinutes(1)));
        runtime.Add(new Ticker { Name = "healthy", IntervalMs = 50 }, placement);
        runtime.Add(new FieldKeeper { Name = "crasher" }, placement);
        await runtime.StartAsync();
        Assert.Equal("0:0", await runtime.AskAsync<string>("crasher", new GetState("")));

        await runtime.SendAsync("crasher", new Boom("first"));
        await EventuallyAsync(async () => await RestartCountAsync(runtime, "crasher") == 1, "the first failure was restarted");
        Assert.Equal("healthy:still:0", await runtime.AskAsync<string>("healthy", new GetState("still")));
        await runtime.SendAsync("crasher", new Boom("second"));

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("crasher", failure.RunnableName);
        Assert.Equal("second", failure.InnerException!.Message);
        Assert.True(await EndedAsync(runtime, "healthy"));
        Assert.True(await EndedAsync(runtime, "crasher"));
    }

    /// <summary>
    /// In a thread the same instance is configured again, so a restarted run keeps its fields (3 bumps
    /// before the failure, 4 after one more); in a process the restarted child rebuilds the runnable from
    /// its configuration, so the field starts again from 0.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARestartedThreadRunnableKeepsItsFields(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(1, TimeSpan.FromMinutes(1)));
        runtime.Add(new FieldKeeper { Name = "keeper" }, placement);
        await runtime.StartAsync();
        for (var i = 0; i < 3; i++)
            await runtime.SendAsync("keeper", new Bump());
        Assert.Equal("3:0", await runtime.AskAsync<string>("keeper", new GetState("")));

        await runtime.SendAsync("keeper", new Boom("restart me"));
        await EventuallyAsync(async () => await RestartCountAsync(runtime, "keeper") == 1, "the keeper was restarted");
        await runtime.SendAsync("keeper", new Bump());
        Assert.Equal(placement == Placement.Thread ? "4:1" : "1:1", await runtime.AskAsync<string>("keeper", new GetState("")));
        Assert.True((await runtime.StopAsync()).AllStopped);
    }

    /// <summary>The restart count a FieldKeeper reports, or -1 while it does not answer (between runs).</summary>
    private static async Task<int> RestartCountAsync(PumaRuntime runtime, string name)
    {
        try
        {
            var reply = await runtime.AskAsync<string>(name, new GetState(""));
            return int.Parse(reply[(reply.IndexOf(':') + 1)..]);
        }
        catch (Exception e) when (IsNotRunning(e))
        {
            return -1;
        }
    }
}
