using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

public class ExclusivityAndFairnessTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task HandlersNeverRunConcurrently(Placement placement)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateBuffer<Frame>("in", 64);
        runtime.Add(new ExclusiveChecker { Name = "checker", Input = input.Reader }, placement);
        var writer = input.Writer;
        await runtime.StartAsync();

        var feeding = Task.Run(async () =>
        {
            for (var i = 0; i < 3000; i++)
                await writer.WriteAsync(new Frame(i, i));
        });
        for (var i = 0; i < 200; i++)
            await runtime.SendAsync("checker", new SetGain(i));
        await feeding.WaitAsync(Patience);

        long[] state = [];
        await EventuallyAsync(async () =>
        {
            state = await runtime.AskAsync<long[]>("checker", new GetState("all"));
            return state[1] == 3000 && state[2] == 200 && state[3] > 0;
        }, "every item, command and some ticks handled");
        Assert.Equal(0, state[0]);
        writer.Complete();
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AFloodedInputDoesNotStarveCommandsTicksRequestsOrStop(Placement placement)
    {
        await using var runtime = NewRuntime();
        var flood = runtime.CreateBuffer<Frame>("flood", 1024);
        runtime.Add(new Producer { Name = "flooder", Output = flood.Writer, Endless = true }, placement);
        runtime.Add(new FloodedSink { Name = "sink", Input = flood.Reader }, placement);
        await runtime.StartAsync();

        await EventuallyAsync(async () => (await runtime.AskAsync<long[]>("sink", new GetState("")))[0] > 10_000, "the sink is flooded");
        // Counted from here, while the flood goes on: ticks from before the flood do not count.
        var flooded = await runtime.AskAsync<long[]>("sink", new GetState(""));
        for (var i = 0; i < 10; i++)
            await runtime.SendAsync("sink", new SetGain(i));
        await EventuallyAsync(async () =>
        {
            var s = await runtime.AskAsync<long[]>("sink", new GetState(""));
            return s[1] == 10 && s[2] >= flooded[2] + 3 && s[0] > flooded[0];
        }, "commands and three more ticks served while flooded");

        var stop = await runtime.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(stop.AllStopped, $"killed: {string.Join(",", stop.Killed)} abandoned: {string.Join(",", stop.Abandoned)}");
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TicksFireAndStreamStatusInOrder(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "ticker", IntervalMs = 10 }, placement);
        await runtime.StartAsync();

        var values = new List<int>();
        using var cts = new CancellationTokenSource(Patience);
        await foreach (var report in runtime.Status.ReadAllAsync(cts.Token))
        {
            Assert.Equal("ticker", report.Runnable);
            values.Add(Convert.ToInt32(report.Value));
            if (values.Count == 5)
                break;
        }
        Assert.Equal([1, 2, 3, 4, 5], values);
        await runtime.StopAsync();
    }
}
