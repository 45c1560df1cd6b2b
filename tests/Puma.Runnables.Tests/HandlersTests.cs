using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runnables.Loop;
using Serilog.Core;

namespace Puma.Runnables.Tests;

public class HandlersTests
{
    private sealed class Configurable(Action<Handlers> configure) : Runnable
    {
        protected override void Configure(Handlers on) => configure(on);
    }

    private static LoopOutcome Run(Action<Handlers> configure, out RunnableLoop loop)
    {
        loop = new RunnableLoop(new Configurable(configure), Placement.Thread, 0, _ => { }, Logger.None);
        return loop.RunAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    [Fact]
    public void RegistrationMistakesFailTheRunWithAClearMessage()
    {
        var channel = Channel.CreateUnbounded<int>();
        var twice = Run(on => on.Input(channel.Reader, _ => { }).Input(channel.Reader, _ => { }), out _);
        Assert.Equal(LoopOutcomeKind.Failed, twice.Kind);
        Assert.Contains("two handlers for the same input", twice.Error!.Message);

        var early = Run(on => on.InputCompleted(channel.Reader, _ => { }), out _);
        Assert.Contains("before its input handler", early.Error!.Message);

        var nullPort = Run(on => on.Input<int>(null!, _ => { }), out _);
        Assert.Contains("is the input port set?", nullPort.Error!.Message);

        var tick = Run(on => on.Tick(TimeSpan.Zero, () => { }), out _);
        Assert.IsType<ArgumentOutOfRangeException>(tick.Error);
    }

    [Fact]
    public async Task AnInputCompletionHandlerSeesTheErrorAndDecides()
    {
        var channel = Channel.CreateUnbounded<int>();
        Exception? seen = null;
        var sum = 0;
        var loop = new RunnableLoop(new Configurable(on => on
            .Input(channel.Reader, i => sum += i)
            .InputCompleted(channel.Reader, e => seen = e)), Placement.Thread, 0, _ => { }, Logger.None);
        var run = loop.RunAsync();
        channel.Writer.TryWrite(1);
        channel.Writer.TryWrite(2);
        channel.Writer.Complete(new TimeoutException("late"));
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LoopOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(3, sum);
        Assert.IsType<TimeoutException>(seen);
    }

    [Fact]
    public async Task WithoutACompletionHandlerAFailedInputEndsTheRunAsUpstreamFailed()
    {
        var channel = Channel.CreateUnbounded<int>();
        var loop = new RunnableLoop(new Configurable(on => on.Input(channel.Reader, _ => { })), Placement.Thread, 0, _ => { }, Logger.None);
        var run = loop.RunAsync();
        channel.Writer.Complete(new TimeoutException("late"));
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LoopOutcomeKind.UpstreamFailed, outcome.Kind);
        Assert.IsType<TimeoutException>(outcome.Error);
    }

    [Fact]
    public async Task StopCancelsTheHandlersTokenAndEndsTheRun()
    {
        var channel = Channel.CreateUnbounded<int>();
        var entered = new TaskCompletionSource();
        var loop = new RunnableLoop(new Configurable(on => on.Input(channel.Reader, async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        })), Placement.Thread, 0, _ => { }, Logger.None);
        var run = loop.RunAsync();
        channel.Writer.TryWrite(1);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        loop.Stop();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LoopOutcomeKind.Stopped, outcome.Kind);
        Assert.True(loop.Context.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task CommandsQueuedBeforeAnInputBatchAreServedFirst()
    {
        var channel = Channel.CreateUnbounded<int>();
        var order = new List<string>();
        var loop = new RunnableLoop(new Configurable(on => on
            .Input(channel.Reader, i => order.Add($"item{i}"))
            .Command<string>(c => order.Add(c))
            .Request<int, int>(_ => order.Count)), Placement.Thread, 0, _ => { }, Logger.None);
        for (var i = 0; i < 3; i++)
            channel.Writer.TryWrite(i);
        loop.Send("cmd");
        var firstReply = loop.AskAsync(0, CancellationToken.None);
        var run = loop.RunAsync();
        // The request shares the mailbox with the command, so both are served before the queued items.
        Assert.Equal(1, await firstReply.WaitAsync(TimeSpan.FromSeconds(10)));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((int)(await loop.AskAsync(0, CancellationToken.None))! != 4 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.Equal(["cmd", "item0", "item1", "item2"], order);
        Assert.Throws<UnknownCommandException>(() => loop.Send(3.5));
        loop.Stop();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Throws<RunnableNotRunningException>(() => loop.Send("late"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(Handlers.DefaultInputBatch)]
    public async Task AnInputsMaxBatchBoundsTheItemsHandledBeforeACommandIsServed(int maxBatch)
    {
        const int items = 100;
        var channel = Channel.CreateUnbounded<int>();
        var order = new List<string>();
        RunnableLoop? loop = null;
        loop = new RunnableLoop(new Configurable(on => on
            .Input(channel.Reader, i =>
            {
                order.Add($"item{i}");
                if (i == 0)
                    loop!.Send("cmd");   // queued while the first batch runs
            }, maxBatch)
            .Command<string>(c => order.Add(c))), Placement.Thread, 0, _ => { }, Logger.None);
        for (var i = 0; i < items; i++)
            channel.Writer.TryWrite(i);
        channel.Writer.Complete();
        var outcome = await loop.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LoopOutcomeKind.Completed, outcome.Kind);
        // The command waits for the end of the batch it was sent in, and no longer.
        Assert.Equal(maxBatch, order.IndexOf("cmd"));
        Assert.Equal(items + 1, order.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InputsTakeTurnsInBatchesOfTheirOwnMaxBatch(bool handlersYield)
    {
        // With handlers that yield, the rest of each batch runs on the async path: the bounds hold there too.
        var a = Channel.CreateUnbounded<int>();
        var b = Channel.CreateUnbounded<int>();
        var order = new System.Text.StringBuilder();
        for (var i = 0; i < 6; i++)
        {
            a.Writer.TryWrite(i);
            b.Writer.TryWrite(i);
        }
        a.Writer.Complete();
        b.Writer.Complete();
        Func<int, CancellationToken, ValueTask> Append(char c) => async (_, _) =>
        {
            if (handlersYield)
                await Task.Yield();
            lock (order)
                order.Append(c);
        };
        var loop = new RunnableLoop(new Configurable(on => on
            .Input(a.Reader, Append('a'), maxBatch: 3)
            .Input(b.Reader, Append('b'), maxBatch: 2)), Placement.Thread, 0, _ => { }, Logger.None);
        var outcome = await loop.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LoopOutcomeKind.Completed, outcome.Kind);
        Assert.Equal("aaabbaaabbbb", order.ToString());
    }

    [Fact]
    public async Task AnInputThatFailsWithSeveralErrorsOrIsCancelledEndsTheRunWithThatError()
    {
        var several = Channel.CreateUnbounded<int>();
        several.Writer.Complete(new AggregateException(new InvalidOperationException("one"), new ArgumentException("two")));
        var outcome = await new RunnableLoop(new Configurable(on => on.Input(several.Reader, _ => { })), Placement.Thread, 0, _ => { }, Logger.None)
            .RunAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LoopOutcomeKind.UpstreamFailed, outcome.Kind);
        Assert.Equal(["one", "two"], Assert.IsType<AggregateException>(outcome.Error).InnerExceptions.Select(e => e.Message));

        var single = Channel.CreateUnbounded<int>();
        single.Writer.Complete(new InvalidOperationException("only"));
        outcome = await new RunnableLoop(new Configurable(on => on.Input(single.Reader, _ => { })), Placement.Thread, 0, _ => { }, Logger.None)
            .RunAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("only", Assert.IsType<InvalidOperationException>(outcome.Error).Message);
    }

    [Fact]
    public void AMaxBatchBelowOneIsRejected()
    {
        var channel = Channel.CreateUnbounded<int>();
        var outcome = Run(on => on.Input(channel.Reader, _ => { }, maxBatch: 0), out _);
        Assert.Equal(LoopOutcomeKind.Failed, outcome.Kind);
        Assert.IsType<ArgumentOutOfRangeException>(outcome.Error);
    }

    [Fact]
    public void PortsAreFoundByTheirChannelEndType()
    {
        var buffer = new PumaBuffer<int>("b", 1);
        var ports = RunnablePort.Discover(new TwoPorts { In = buffer.Reader, Out = Channel.CreateUnbounded<string>().Writer });
        Assert.Equal(["In", "Out"], ports.Select(p => p.Name));
        Assert.True(ports[0].IsInput);
        Assert.Equal(typeof(int), ports[0].ElementType);
        Assert.Same(buffer, ports[0].BufferEnd!.Buffer);
        Assert.False(ports[1].IsInput);
        Assert.Null(ports[1].BufferEnd);
    }

    [Fact]
    public async Task AnOutputPortCompletesItsPlainChannelWithTheError()
    {
        var input = Channel.CreateUnbounded<int>();
        var output = Channel.CreateUnbounded<string>();
        var ports = RunnablePort.Discover(new TwoPorts { In = input.Reader, Out = output.Writer });
        var error = new InvalidOperationException("boom");

        Assert.False(ports[0].TryComplete(error));
        Assert.False(input.Reader.Completion.IsCompleted);
        Assert.True(ports[1].TryComplete(error));
        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(() => output.Reader.Completion));
        Assert.False(ports[1].TryComplete(null));
        Assert.False(RunnablePort.Discover(new TwoPorts())[1].TryComplete(null));
    }

    private sealed class TwoPorts : Runnable
    {
        public ChannelReader<int>? In { get; init; }

        public ChannelWriter<string>? Out { get; init; }

        public int NotAPort { get; set; }
    }
}
