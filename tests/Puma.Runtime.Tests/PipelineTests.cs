using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

public class PipelineTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ItemsFlowInOrderAndCompletionFlowsDownstream(Placement placement)
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 16);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 16);
        runtime.Add(new Producer { Output = raw.Writer, Count = 5000 }, placement);
        runtime.Add(new Scale { Input = raw.Reader, Output = scaled.Writer, Gain = 3 }, placement);
        var results = scaled.Reader;
        await runtime.StartAsync();

        var frames = await ReadAllAsync(results);
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(5000, frames.Count);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), frames.Select(f => f.Seq));
        Assert.All(frames, f => Assert.Equal(f.Seq * 3.0, f.Value));
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ACommandTakesEffectMidStream(Placement placement)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateBuffer<Frame>("in", 4);
        var output = runtime.CreateBuffer<Frame>("out", 4);
        runtime.Add(new Scale { Name = "scale", Input = input.Reader, Output = output.Writer, Gain = 2 }, placement);
        var writer = input.Writer;
        var reader = output.Reader;
        await runtime.StartAsync();

        await writer.WriteAsync(new Frame(0, 1));
        Assert.Equal(2.0, (await ReadOneAsync(reader)).Value);
        await runtime.SendAsync("scale", new SetGain(10));
        // Commands and requests share the mailbox in order: the reply proves the command was handled.
        Assert.Equal(10.0, await runtime.AskAsync<double>("scale", new GetState("gain")));
        await writer.WriteAsync(new Frame(1, 1));
        Assert.Equal(10.0, (await ReadOneAsync(reader)).Value);
        writer.Complete();
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AThrowingProcessorFailsWaitAsyncAndItsErrorFlowsDownstream(Placement placement)
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 8);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 64);
        runtime.Add(new Producer { Output = raw.Writer, Count = 100 }, placement);
        runtime.Add(new Scale { Name = "scaler", Input = raw.Reader, Output = scaled.Writer, FailAt = 10 }, placement);
        var results = scaled.Reader;
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("scaler", failure.RunnableName);
        Assert.Equal(placement, failure.Placement);
        Assert.Contains("scale failed at frame 10", failure.Message);
        Assert.Contains("scale failed at frame 10", failure.InnerException!.Message);

        // The downstream reader drains the ten frames written before the failure, then sees the error.
        var drained = new List<Frame>();
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var f in results.ReadAllAsync(new CancellationTokenSource(Patience).Token))
                drained.Add(f);
        });
        Assert.Equal(10, drained.Count);
        Assert.Contains("scale failed at frame 10", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task RequestsGetTypedRepliesAndHandlerErrorsGoBackToTheAsker(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();

        Assert.Equal("t:hello:0", await runtime.AskAsync<string>("t", new GetState("hello")));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => runtime.AskAsync<string>("t", new GetState("fail")));
        Assert.Contains("bad question", error.Message);
        // The runnable survives a failed request.
        Assert.Equal("t:again:0", await runtime.AskAsync<string>("t", new GetState("again")));
        var stop = await runtime.StopAsync();
        Assert.True(stop.AllStopped);
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task UnknownCommandsAndRunnablesAreRejected(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();

        // The handled types are listed by short name, in registration order, in both placements.
        var unknown = await Assert.ThrowsAsync<UnknownCommandException>(async () => await runtime.SendAsync("t", new Frame(1, 1)).AsTask().WaitAsync(Patience));
        Assert.Equal("Runnable 't' has no handler for Frame; it handles: Boom, LoseReaders, SetGain.", unknown.Message);
        var request = await Assert.ThrowsAsync<UnknownCommandException>(() => runtime.AskAsync<int>("t", new SetGain(1)).WaitAsync(Patience));
        Assert.Equal("Runnable 't' has no handler for SetGain; it handles: GetState, GetPid.", request.Message);
        var noSuch = await Assert.ThrowsAsync<ArgumentException>(async () => await runtime.SendAsync("nobody", new SetGain(1)));
        Assert.StartsWith("No runnable named 'nobody'; the runtime has: t.", noSuch.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ALoopStyleSourceRunsAndServesCommandsBetweenItsAwaits(Placement placement)
    {
        await using var runtime = NewRuntime();
        // A shared-memory ring is bounded by bytes, not items: a small ring and a long stream outlast the command.
        var output = runtime.CreateBuffer<Frame>("out", 2, capacityBytes: 4096);
        runtime.Add(new LoopSource { Name = "src", Output = output.Writer, Count = 20_000 }, placement);
        var reader = output.Reader;
        await runtime.StartAsync();

        var first = await ReadOneAsync(reader);
        Assert.Equal(0, first.Seq);
        await runtime.SendAsync("src", new SetGain(5));
        Assert.Equal(0, await runtime.AskAsync<int>("src", new GetState("restarts")));
        var rest = await ReadAllAsync(reader);
        Assert.Equal(19_999, rest.Count);
        Assert.Equal(19_999 * 5.0, rest[^1].Value);
        await runtime.WaitAsync().WaitAsync(Patience);
    }
}
