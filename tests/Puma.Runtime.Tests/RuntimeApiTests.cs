using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Serilog.Core;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>
/// The supervisor's public surface: the errors for bad options, bad arguments and calls made in the
/// wrong phase (each with its exact message), and the behaviours of its small members: the status
/// stream's drop-oldest bound, one shared stop, typed replies.
/// </summary>
public class RuntimeApiTests
{
    private const string AlreadyStarted = "The runtime has already started: add buffers and runnables before StartAsync.";

    [Fact]
    public void OptionsOutsideTheirBoundsAreRefusedAndTheBoundsThemselvesAccepted()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new PumaRuntime(new PumaOptions { StopTimeout = TimeSpan.FromTicks(-1) }));
        Assert.Equal("options", negative.ParamName);
        Assert.Equal(TimeSpan.FromTicks(-1), negative.ActualValue);
        Assert.StartsWith("PumaOptions.StopTimeout cannot be negative.", negative.Message);

        var none = Assert.Throws<ArgumentOutOfRangeException>(() => new PumaRuntime(new PumaOptions { StatusCapacity = 0 }));
        Assert.Equal(0, none.ActualValue);
        Assert.StartsWith("PumaOptions.StatusCapacity must be at least 1.", none.Message);

        Assert.False(new PumaRuntime(new PumaOptions { StopTimeout = TimeSpan.Zero, StatusCapacity = 1 }).IsStarted);
    }

    [Fact]
    public async Task NothingCanBeAddedOrStartedOnceStarted()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 });
        await runtime.StartAsync();

        Assert.Equal(AlreadyStarted, Assert.Throws<InvalidOperationException>(() => runtime.CreateBuffer<int>("late", 1)).Message);
        Assert.Equal(AlreadyStarted, Assert.Throws<InvalidOperationException>(() => runtime.Add(new Ticker { Name = "late" })).Message);
        Assert.Equal(AlreadyStarted, Assert.Throws<InvalidOperationException>(() => { _ = runtime.StartAsync(); }).Message);
        Assert.Equal(["t"], runtime.RunnableNames);
    }

    [Fact]
    public async Task ADisposedRuntimeRefusesWorkAndItsStatusStreamIsComplete()
    {
        var runtime = NewRuntime();
        await runtime.DisposeAsync();
        await runtime.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => runtime.CreateBuffer<int>("b", 1));
        Assert.Throws<ObjectDisposedException>(() => runtime.Add(new Ticker()));
        Assert.Throws<ObjectDisposedException>(() => { _ = runtime.StartAsync(); });
        Assert.True(runtime.Status.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task MissingArgumentsAreNamed()
    {
        await using var runtime = NewRuntime();
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => runtime.CreateBuffer<int>(" ", 1)).ParamName);
        Assert.Equal("runnable", Assert.Throws<ArgumentNullException>(() => runtime.Add(null!)).ParamName);
        Assert.Equal("runnableName", Assert.Throws<ArgumentNullException>(() => runtime.GetRunnable(null!)).ParamName);
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 });
        await runtime.StartAsync();
        Assert.Equal("command", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await runtime.SendAsync("t", null!))).ParamName);
        Assert.Equal("request", (await Assert.ThrowsAsync<ArgumentNullException>(() => runtime.AskAsync<string>("t", null!))).ParamName);
    }

    [Fact]
    public async Task AnUnknownPlacementIsRefused()
    {
        await using var runtime = NewRuntime();
        var placement = Assert.Throws<ArgumentOutOfRangeException>(() => runtime.Add(new Ticker { Name = "t" }, (Placement)7));
        Assert.Equal("placement", placement.ParamName);
        Assert.StartsWith("Unknown placement 7 for runnable 't'.", placement.Message);
        Assert.Empty(runtime.RunnableNames);
    }

    [Fact]
    public async Task ACancelledStartStartsNothing()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.StartAsync(new CancellationToken(canceled: true)));
        Assert.False(runtime.IsStarted);
        Assert.Equal(RunnableState.NotStarted, runtime.GetRunnable("t").State);
        await runtime.StartAsync();
        Assert.Equal("t:x:0", await runtime.AskAsync<string>("t", new GetState("x")).WaitAsync(Patience));
    }

    [Fact]
    public async Task CallsBeforeStartSayWhatToDo()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t" });
        var send = await Assert.ThrowsAsync<RunnableNotRunningException>(async () => await runtime.SendAsync("t", new SetGain(1)));
        Assert.Equal("Runnable 't' is not running: start the runtime first.", send.Message);
        var wait = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.WaitAsync());
        Assert.Equal("The runtime has not been started: call StartAsync first.", wait.Message);
        var stop = await runtime.StopAsync();
        Assert.Equal((0, 0, 0), (stop.Stopped.Count, stop.Killed.Count, stop.Abandoned.Count));
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task StoppingTwiceSharesOneStop(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();
        var first = runtime.StopAsync();
        var second = runtime.StopAsync(TimeSpan.FromMilliseconds(1));
        Assert.Same(first, second);
        Assert.Equal(["t"], (await first.WaitAsync(Patience)).Stopped);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AReplyOfAnotherTypeThanAskedNamesBothTypes(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => runtime.AskAsync<int>("t", new GetState("x")).WaitAsync(Patience));
        Assert.Equal("Runnable 't' answered GetState with String, not Int32.", error.Message);
        Assert.Equal("t:x:0", await runtime.AskAsync<object>("t", new GetState("x")).WaitAsync(Patience));
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ANullReplyIsNullForAReferenceTypeAndAnErrorForAValueType(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new NullAnswerer { Name = "n" }, placement);
        await runtime.StartAsync();
        Assert.Null(await runtime.AskAsync<string>("n", new GetState("x")).WaitAsync(Patience));
        Assert.Null(await runtime.AskAsync<int?>("n", new GetState("x")).WaitAsync(Patience));
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => runtime.AskAsync<int>("n", new GetState("x")).WaitAsync(Patience));
        Assert.Equal("Runnable 'n' answered GetState with null, not Int32.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task UnreadStatusBeyondTheCapacityIsDroppedOldestFirst(Placement placement)
    {
        await using var runtime = new PumaRuntime(new PumaOptions { Logger = Logger.None, StatusCapacity = 3 });
        runtime.Add(new StatusBurst { Name = "burst", Count = 10 }, placement);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);
        var reports = await ReadAllAsync(runtime.Status);
        Assert.Equal([8, 9, 10], reports.Select(r => (int)Convert.ToInt64(r.Value)));
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AFailureCausedByTheStopIsNotRestarted(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Restart(5, TimeSpan.FromMinutes(1)));
        runtime.Add(new FailsWhenStopped { Name = "f" }, placement);
        await runtime.StartAsync();
        await runtime.SendAsync("f", new Boom("failed while stopping"));
        Assert.Equal("handling", (await ReadOneAsync(runtime.Status)).Value);

        var stop = await runtime.StopAsync(TimeSpan.FromSeconds(10)).WaitAsync(Patience);
        Assert.Equal(["f"], stop.Stopped);
        var info = runtime.GetRunnable("f");
        Assert.Equal((RunnableState.Failed, 0), (info.State, info.RestartCount));
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("failed while stopping", failure.InnerException!.Message);
    }
}
