using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables.Loop;
using Serilog.Core;

namespace Puma.Runnables.Tests;

/// <summary>Events in the loop: handler semantics (edge-triggered, coalesced), the input gate, failures, registration mistakes.</summary>
public class EventLoopTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class Configurable(Action<Handlers> configure) : Runnable
    {
        protected override void Configure(Handlers on) => configure(on);
    }

    private static RunnableLoop LoopOf(Action<Handlers> configure) =>
        new(new Configurable(configure), Placement.Thread, 0, _ => { }, Logger.None);

    [Fact]
    public async Task SignalsThatComeWhileTheHandlerRunsAreOneMoreCall()
    {
        await using var signal = PumaEvent.Create("burst");
        var calls = 0;
        var called = new SemaphoreSlim(0);
        var release = new SemaphoreSlim(0);
        var loop = LoopOf(on => on.Event(signal, async ct =>
        {
            var call = Interlocked.Increment(ref calls);
            called.Release();
            if (call == 1)
                await release.WaitAsync(ct);
        }));
        var run = loop.RunAsync();

        signal.Pulse();
        Assert.True(await called.WaitAsync(Patience));
        signal.Pulse();
        signal.Set();
        signal.Reset();
        signal.Pulse();
        release.Release();
        // The second call comes once the first returns (however loaded the machine: waited for, not slept on);
        // then no third one comes.
        Assert.True(await called.WaitAsync(Patience));
        await Task.Delay(300);
        loop.Stop();
        Assert.Equal(LoopOutcomeKind.Stopped, (await run.WaitAsync(Patience)).Kind);
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task AnEventThatStaysSetIsOneCallAndAResetIsNone()
    {
        await using var signal = PumaEvent.Create("steady");
        var calls = 0;
        var called = new SemaphoreSlim(0);
        var loop = LoopOf(on => on.Event(signal, () =>
        {
            Interlocked.Increment(ref calls);
            called.Release();
        }));
        var run = loop.RunAsync();

        signal.Set();
        Assert.True(await called.WaitAsync(Patience));
        signal.Set();
        signal.Reset();
        await Task.Delay(300);
        loop.Stop();
        await run.WaitAsync(Patience);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task AGatedLoopTakesNoItemAndDoesNotEndWhileTheEventIsResetThenTakesThemAll()
    {
        await using var gate = PumaEvent.Create("gate");
        var items = Channel.CreateUnbounded<int>();
        for (var i = 0; i < 5; i++)
            items.Writer.TryWrite(i);
        items.Writer.Complete();
        var taken = new List<int>();
        var loop = LoopOf(on => on.ServeInputsWhile(gate).Input(items.Reader, taken.Add));
        var run = loop.RunAsync();

        await Task.Delay(300);
        Assert.False(run.IsCompleted);
        Assert.Empty(taken);
        gate.Set();
        Assert.Equal(LoopOutcomeKind.Completed, (await run.WaitAsync(Patience)).Kind);
        Assert.Equal([0, 1, 2, 3, 4], taken);
    }

    [Fact]
    public async Task AStopEndsAPausedLoop()
    {
        await using var gate = PumaEvent.Create("paused");
        var items = Channel.CreateUnbounded<int>();
        items.Writer.TryWrite(1);
        var loop = LoopOf(on => on.ServeInputsWhile(gate).Input(items.Reader, _ => { }));
        var run = loop.RunAsync();
        await Task.Delay(100);
        loop.Stop();
        Assert.Equal(LoopOutcomeKind.Stopped, (await run.WaitAsync(Patience)).Kind);
    }

    [Fact]
    public async Task AnEventHandlersExceptionFailsTheLoop()
    {
        await using var signal = PumaEvent.Create("fail");
        var loop = LoopOf(on => on.Event(signal, () => throw new InvalidOperationException("handler broke")));
        var run = loop.RunAsync();
        signal.Set();
        var outcome = await run.WaitAsync(Patience);
        Assert.Equal(LoopOutcomeKind.Failed, outcome.Kind);
        Assert.Equal("handler broke", Assert.IsType<InvalidOperationException>(outcome.Error).Message);
    }

    [Fact]
    public async Task ASwitchWithoutItsEventFailsNamingIt()
    {
        var items = Channel.CreateUnbounded<int>();
        var output = Channel.CreateUnbounded<int>();
        var loop = new RunnableLoop(new Switch<int> { Name = "s", Input = items.Reader, WhenSet = output.Writer, WhenReset = output.Writer, Event = null! },
            Placement.Thread, 0, _ => { }, Logger.None);
        var outcome = await loop.RunAsync().WaitAsync(Patience);
        Assert.Equal(LoopOutcomeKind.Failed, outcome.Kind);
        Assert.Equal("Switch 's' needs WhenSet, WhenReset and Event; Event is null.", Assert.IsType<InvalidOperationException>(outcome.Error).Message);
    }

    [Fact]
    public async Task ASwitchSendsEachItemToTheOutputItsEventSelectsWhenTheItemIsHandled()
    {
        await using var route = PumaEvent.Create("route");
        var items = Channel.CreateUnbounded<int>();
        var whenSet = Channel.CreateUnbounded<int>();
        var whenReset = Channel.CreateUnbounded<int>();
        var loop = new RunnableLoop(new Switch<int> { Name = "s", Input = items.Reader, WhenSet = whenSet.Writer, WhenReset = whenReset.Writer, Event = route },
            Placement.Thread, 0, _ => { }, Logger.None);
        var run = loop.RunAsync();
        items.Writer.TryWrite(1);
        Assert.Equal(1, await whenReset.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        route.Set();
        items.Writer.TryWrite(2);
        Assert.Equal(2, await whenSet.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        items.Writer.Complete();
        Assert.Equal(LoopOutcomeKind.Completed, (await run.WaitAsync(Patience)).Kind);
        Assert.False(whenSet.Reader.TryRead(out _));
        Assert.False(whenReset.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RegistrationMistakesNameTheRunnableAndTheEvent()
    {
        await using var signal = PumaEvent.Create("twice");
        Assert.Equal("signal", Assert.Throws<ArgumentNullException>(() => new Handlers("r").Event(null!, () => { })).ParamName);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => new Handlers("r").Event(signal, (Action)null!)).ParamName);
        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => new Handlers("r").Event(signal, (Func<CancellationToken, ValueTask>)null!)).ParamName);
        Assert.Equal("signal", Assert.Throws<ArgumentNullException>(() => new Handlers("r").ServeInputsWhile(null!)).ParamName);
        Assert.Equal("Runnable 'r' registered two handlers for event 'twice'.",
            Assert.Throws<InvalidOperationException>(() => new Handlers("r").Event(signal, () => { }).Event(signal, () => { })).Message);
        Assert.Equal("Runnable 'r' gated its inputs twice (events 'twice' and 'twice'); one gate per runnable.",
            Assert.Throws<InvalidOperationException>(() => new Handlers("r").ServeInputsWhile(signal).ServeInputsWhile(signal)).Message);
    }
}
