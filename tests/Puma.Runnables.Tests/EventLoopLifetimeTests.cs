using System.Diagnostics;
using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables.Loop;
using Serilog.Core;

namespace Puma.Runnables.Tests;

/// <summary>Events in the loop under races and across runs: a gate toggled while items flow, and the waits a loop leaves when it ends.</summary>
public class EventLoopLifetimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class Configurable(Action<Handlers> configure) : Runnable
    {
        protected override void Configure(Handlers on) => configure(on);
    }

    private static RunnableLoop LoopOf(Action<Handlers> configure) =>
        new(new Configurable(configure), Placement.Thread, 0, _ => { }, Logger.None);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AGateToggledWhileItemsFlowDeliversEveryItemInOrder(bool synchronousHandler)
    {
        await using var gate = PumaEvent.Create("toggled");
        var items = Channel.CreateUnbounded<int>();
        var taken = new List<int>();
        var loop = LoopOf(on =>
        {
            on.ServeInputsWhile(gate);
            if (synchronousHandler)
            {
                on.Input(items.Reader, taken.Add);
            }
            else
            {
                on.Input(items.Reader, async (item, _) =>
                {
                    await Task.Yield();
                    taken.Add(item);
                });
            }
        });
        var run = loop.RunAsync();

        var clock = Stopwatch.StartNew();
        var toggling = Task.Run(() =>
        {
            for (var i = 0; clock.ElapsedMilliseconds < 800; i++)
            {
                if ((i & 1) == 0) gate.Set();
                else gate.Reset();
                Thread.SpinWait(20 + (i % 7) * 30);
            }
        });
        var sent = 0;
        while (clock.ElapsedMilliseconds < 800)
        {
            items.Writer.TryWrite(sent++);
            if ((sent & 3) == 0)
                await Task.Delay(1);
        }
        await toggling;
        gate.Set();
        items.Writer.Complete();

        Assert.Equal(LoopOutcomeKind.Completed, (await run.WaitAsync(Patience)).Kind);
        Assert.Equal(Enumerable.Range(0, sent), taken);
    }

    [Fact]
    public async Task AStoppedLoopLeavesNoWaitOnItsEventsAndItsRestartArmsOnlyItsOwn()
    {
        await using var signal = PumaEvent.Create("handled");
        await using var gate = PumaEvent.Create("gate");
        var items = Channel.CreateUnbounded<int>();
        items.Writer.TryWrite(1);
        void Configure(Handlers on) => on.Event(signal, () => { }).ServeInputsWhile(gate).Input(items.Reader, _ => { });

        for (var run = 0; run < 2; run++)
        {
            var loop = LoopOf(Configure);
            var running = loop.RunAsync();
            await WhenAsync(() => signal.PendingWaits == 1 && gate.PendingWaits == 1); // idle: both armed, once
            Assert.Equal(1, signal.PendingWaits);
            Assert.Equal(1, gate.PendingWaits);
            loop.Stop();
            Assert.Equal(LoopOutcomeKind.Stopped, (await running.WaitAsync(Patience)).Kind);
            Assert.Equal(0, signal.PendingWaits);
            Assert.Equal(0, gate.PendingWaits);
        }
        await WhenAsync(() => signal.ParkedWaiters == 0 && gate.ParkedWaiters == 0);
        Assert.Equal(0, signal.ParkedWaiters);
        Assert.Equal(0, gate.ParkedWaiters);
    }

    [Fact]
    public async Task AFailedLoopLeavesNoWaitOnItsEvents()
    {
        await using var signal = PumaEvent.Create("fails");
        await using var gate = PumaEvent.Create("idle-gate");
        var items = Channel.CreateUnbounded<int>();
        var loop = LoopOf(on => on.Event(signal, () => throw new InvalidOperationException("broke")).ServeInputsWhile(gate).Input(items.Reader, _ => { }));
        var running = loop.RunAsync();
        await WhenAsync(() => gate.PendingWaits == 1);
        signal.Pulse();
        Assert.Equal(LoopOutcomeKind.Failed, (await running.WaitAsync(Patience)).Kind);
        Assert.Equal(0, signal.PendingWaits);
        Assert.Equal(0, gate.PendingWaits);
    }

    [Fact]
    public async Task AResetBetweenBatchesStopsTheNextBatch()
    {
        await using var gate = PumaEvent.Create("per-batch");
        var first = Channel.CreateUnbounded<int>();
        var second = Channel.CreateUnbounded<int>();
        first.Writer.TryWrite(1);
        second.Writer.TryWrite(2);
        var taken = new List<int>();
        gate.Set();
        var loop = LoopOf(on => on.ServeInputsWhile(gate)
            .Input(first.Reader, item =>
            {
                taken.Add(item);
                gate.Reset(); // closes the gate before the second input's batch of this very turn
            })
            .Input(second.Reader, taken.Add));
        var running = loop.RunAsync();
        await WhenAsync(() => taken.Count == 1 && gate.PendingWaits == 1);
        await Task.Delay(100);
        Assert.Equal([1], taken);
        gate.Set();
        await WhenAsync(() => taken.Count == 2);
        Assert.Equal([1, 2], taken);
        loop.Stop();
        await running.WaitAsync(Patience);
    }

    private static async Task WhenAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < Patience)
            await Task.Delay(10);
    }
}
