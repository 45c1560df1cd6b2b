using System.Text;
using System.Threading.Channels;
using Puma.Runnables.Loop;
using Serilog.Core;

namespace Puma.Runnables.Tests;

/// <summary>The order of work inside one turn of the loop: what interrupts a round of inputs or produce steps, and what does not run.</summary>
public class TurnOrderTests
{
    private sealed class Configurable(Action<Handlers, Func<RunnableLoop>> configure) : Runnable
    {
        public RunnableLoop? Loop { get; set; }

        protected override void Configure(Handlers on) => configure(on, () => Loop!);
    }

    private static async Task<LoopOutcome> RunAsync(Action<Handlers, Func<RunnableLoop>> configure)
    {
        var runnable = new Configurable(configure);
        var loop = new RunnableLoop(runnable, Placement.Thread, 0, _ => { }, Logger.None);
        runnable.Loop = loop;
        return await loop.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static Channel<int> Filled(int count)
    {
        var channel = Channel.CreateUnbounded<int>();
        for (var i = 0; i < count; i++)
            channel.Writer.TryWrite(i);
        channel.Writer.Complete();
        return channel;
    }

    [Fact]
    public async Task ATickThatIsNotDueDoesNotRun()
    {
        var ticks = 0;
        var items = Filled(200);

        var outcome = await RunAsync((on, _) => on
            .Input(items.Reader, _ => { }, maxBatch: 1)
            .Tick(TimeSpan.FromHours(1), () => ticks++));

        Assert.Equal(LoopOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(0, ticks);
    }

    [Fact]
    public async Task ACommandQueuedDuringOneInputsBatchIsServedBeforeTheNextInputs()
    {
        var order = new StringBuilder();
        var a = Filled(2);
        var b = Filled(2);

        await RunAsync((on, loop) => on
            .Input(a.Reader, i => { order.Append('a'); if (i == 0) loop().Send("c"); }, maxBatch: 2)
            .Input(b.Reader, _ => order.Append('b'), maxBatch: 2)
            .Command<string>(c => order.Append(c)));

        Assert.Equal("aacbb", order.ToString());
    }

    [Fact]
    public async Task OnceACommandIsServedTheInputsTakeTurnsAgain()
    {
        // The loop's count of queued messages must come back to 0 once the command is served: a count left above 0
        // would end every round after its first input (a, a, b, b ... instead of a, b, a, b).
        var order = new StringBuilder();
        var a = Filled(3);
        var b = Filled(3);

        await RunAsync((on, loop) => on
            .Input(a.Reader, i => { order.Append('a'); if (i == 0) loop().Send("c"); }, maxBatch: 1)
            .Input(b.Reader, _ => order.Append('b'), maxBatch: 1)
            .Command<string>(c => order.Append(c)));

        Assert.Equal("acababb", order.ToString());
    }

    [Fact]
    public async Task AnAskToALoopWhoseConfigureThrewFailsInsteadOfHanging()
    {
        var runnable = new Configurable((on, _) =>
        {
            on.Request<string, string>(q => q);
            throw new InvalidOperationException("bad configure");
        });
        var loop = new RunnableLoop(runnable, Placement.Thread, 0, _ => { }, Logger.None);
        var early = loop.AskAsync("q", CancellationToken.None);

        var outcome = await loop.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(LoopOutcomeKind.Failed, outcome.Kind);
        Assert.Equal("bad configure", outcome.Error!.Message);
        await Assert.ThrowsAsync<RunnableNotRunningException>(() => early.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Throws<RunnableNotRunningException>(() => { _ = loop.AskAsync("late", CancellationToken.None); });
    }

    [Fact]
    public async Task ACommandQueuedByAProduceStepIsServedAfterThatStep()
    {
        var order = new StringBuilder();
        var step = 0;

        await RunAsync((on, loop) => on
            .Produce(_ =>
            {
                order.Append('p');
                if (++step == 3)
                    loop().Send("c");
                return new ValueTask<bool>(step < 6);
            })
            .Command<string>(c => order.Append(c)));

        Assert.Equal("pppcppp", order.ToString());
    }
}
