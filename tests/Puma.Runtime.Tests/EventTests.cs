using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>
/// Process-shared events through the runtime, in thread and process placement: handlers woken across processes,
/// Set/Reset/Pulse semantics, waits in a child and in the supervisor, toggleable inputs, the switch, terminators.
/// </summary>
public class EventTests
{
    public static TheoryData<Placement, Placement> SetterAndHandler => new()
    {
        { Placement.Process, Placement.Thread },
        { Placement.Process, Placement.Process },
        { Placement.Thread, Placement.Process },
        { Placement.Thread, Placement.Thread },
    };

    [Theory]
    [MemberData(nameof(SetterAndHandler))]
    public async Task AnEventSetInOneRunnableWakesTheHandlerOfAnotherOncePerSetOrPulse(Placement setter, Placement handler)
    {
        await using var runtime = NewRuntime();
        var signal = runtime.CreateEvent("signal");
        runtime.Add(new EventDriver { Name = "driver", Signal = signal }, setter);
        runtime.Add(new SignalCounter { Name = "counter", Signal = signal }, handler);
        await runtime.StartAsync();
        PromiseTestSupport.AssertRunsIn(setter, await runtime.AskAsync<int>("driver", new GetPid()));
        PromiseTestSupport.AssertRunsIn(handler, await runtime.AskAsync<int>("counter", new GetPid()));

        Assert.True(await runtime.AskAsync<bool>("driver", new EventOp("set")));
        Assert.Equal(("counter", (object)1), Report(await ReadOneAsync(runtime.Status)));
        Assert.True(await runtime.AskAsync<bool>("driver", new EventOp("set"))); // set already: no new signal
        Assert.False(await runtime.AskAsync<bool>("driver", new EventOp("reset"))); // a reset is no signal
        Assert.False(await runtime.AskAsync<bool>("driver", new EventOp("pulse")));
        Assert.Equal(("counter", (object)2), Report(await ReadOneAsync(runtime.Status)));
        signal.Set(); // the supervisor's own instance signals too
        Assert.Equal(("counter", (object)3), Report(await ReadOneAsync(runtime.Status)));

        await Task.Delay(300);
        Assert.Equal(3, await runtime.AskAsync<int>("counter", new HowMany()));
        Assert.False(runtime.Status.TryRead(out _));
        await runtime.StopAsync();
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AnEventAlreadySetWhenAHandlerStartsIsOneSignal(Placement placement)
    {
        await using var runtime = NewRuntime();
        var signal = runtime.CreateEvent("early");
        signal.Set();
        runtime.Add(new SignalCounter { Name = "counter", Signal = signal }, placement);
        await runtime.StartAsync();

        Assert.Equal(("counter", (object)1), Report(await ReadOneAsync(runtime.Status)));
        await Task.Delay(300);
        Assert.Equal(1, await runtime.AskAsync<int>("counter", new HowMany()));
        await runtime.StopAsync();
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheSupervisorsWaitWakesOnARunnablesPulseAndARunnablesWaitOnTheSupervisorsSet(Placement placement)
    {
        await using var runtime = NewRuntime();
        var up = runtime.CreateEvent("up");
        var down = runtime.CreateEvent("down");
        runtime.Add(new EventDriver { Name = "driver", Signal = up }, placement);
        runtime.Add(new EventAwaiter { Name = "awaiter", Signal = down }, placement);
        await runtime.StartAsync();
        await runtime.AskAsync<int>("driver", new GetPid());

        var upWait = up.WaitAsync().AsTask(); // waits from here: a pulse after this call wakes it
        await Task.Delay(200);
        Assert.False(upWait.IsCompleted);
        Assert.False(await runtime.AskAsync<bool>("driver", new EventOp("pulse")));
        await upWait.WaitAsync(Patience);
        Assert.False(up.IsSet);
        Assert.False(await up.WaitAsync(TimeSpan.FromMilliseconds(100))); // the pulse is over

        await runtime.AskAsync<int>("awaiter", new GetPid());
        await Task.Delay(200);
        Assert.False(runtime.Status.TryRead(out _));
        down.Set();
        Assert.Equal(("awaiter", (object)"woken"), Report(await ReadOneAsync(runtime.Status)));
        await EventuallyAsync(() => Task.FromResult(runtime.GetRunnable("awaiter").State == RunnableState.Completed), "the awaiter completes");
        await runtime.StopAsync();
    }

    [Fact]
    public async Task CancellingTheSupervisorsWaitThrowsOperationCanceled()
    {
        await using var runtime = NewRuntime();
        var signal = runtime.CreateEvent("never");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal.WaitAsync(cts.Token).AsTask().WaitAsync(Patience));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task EventNamesAreUniqueInARuntime()
    {
        await using var runtime = NewRuntime();
        runtime.CreateEvent("once");
        var error = Assert.Throws<ArgumentException>(() => runtime.CreateEvent("once"));
        Assert.Contains("'once' already exists", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AToggledRunnableTakesNothingWhileResetAndDeliversEveryItemOnceWhenSetAgain(Placement placement)
    {
        const int Total = 2000;
        await using var runtime = NewRuntime();
        var input = runtime.CreateBuffer<int>("in", 16, capacityBytes: 256);
        var output = runtime.CreateBuffer<int>("out", 16, capacityBytes: 256); // small: the forwarder keeps pace with the test's reads
        var gate = runtime.CreateEvent("gate");
        runtime.Add(new GatedForwarder { Name = "toggled", Input = input.Reader, Output = output.Writer, Gate = gate }, placement);
        var writer = input.Writer;
        var reader = output.Reader;
        await runtime.StartAsync();

        // Paused from the start: the first ten items wait in the buffer.
        for (var i = 0; i < 10; i++)
            await writer.WriteAsync(i);
        await Task.Delay(500);
        Assert.Equal(0, await runtime.AskAsync<long>("toggled", new HowMany()));
        Assert.False(reader.TryRead(out _));

        gate.Set();
        var received = new List<int>();
        var feeding = Task.Run(async () =>
        {
            for (var i = 10; i < Total; i++)
                await writer.WriteAsync(i);
        });
        while (received.Count < 100)
            received.Add(await ReadOneAsync(reader));

        // Paused mid-stream: after the batch in flight, nothing is taken for a measured interval.
        gate.Reset();
        int drained;
        do
        {
            await Task.Delay(300); // the batch in flight (at most 64 items) may be waiting for room in the output
            drained = 0;
            while (reader.TryRead(out var item))
            {
                received.Add(item);
                drained++;
            }
        }
        while (drained > 0);
        var taken = await runtime.AskAsync<long>("toggled", new HowMany());
        Assert.Equal(received.Count, taken);
        Assert.True(taken < Total, $"all {Total} items went through before the pause");
        await Task.Delay(500);
        Assert.Equal(taken, await runtime.AskAsync<long>("toggled", new HowMany()));
        Assert.False(reader.TryRead(out _));

        gate.Set();
        while (received.Count < Total)
            received.Add(await ReadOneAsync(reader));
        await feeding.WaitAsync(Patience);
        writer.Complete();
        Assert.Empty(await ReadAllAsync(reader));
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, Total), received);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ASwitchRoutesEachItemByTheEvent(Placement placement)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateBuffer<int>("in", 64);
        var whenSet = runtime.CreateBuffer<int>("set", 64);
        var whenReset = runtime.CreateBuffer<int>("reset", 64);
        var route = runtime.CreateEvent("route");
        runtime.Add(new Switch<int> { Name = "switch", Input = input.Reader, WhenSet = whenSet.Writer, WhenReset = whenReset.Writer, Event = route }, placement);
        var writer = input.Writer;
        var setItems = whenSet.Reader;
        var resetItems = whenReset.Reader;
        await runtime.StartAsync();

        var toReset = new List<int>();
        var toSet = new List<int>();
        for (var i = 0; i < 10; i++)
            await writer.WriteAsync(i);
        for (var i = 0; i < 10; i++)
            toReset.Add(await ReadOneAsync(resetItems));
        route.Set();
        for (var i = 10; i < 20; i++)
            await writer.WriteAsync(i);
        for (var i = 0; i < 10; i++)
            toSet.Add(await ReadOneAsync(setItems));
        route.Reset();
        for (var i = 20; i < 30; i++)
            await writer.WriteAsync(i);
        writer.Complete();
        toReset.AddRange(await ReadAllAsync(resetItems));
        toSet.AddRange(await ReadAllAsync(setItems));
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal([.. Enumerable.Range(0, 10), .. Enumerable.Range(20, 10)], toReset);
        Assert.Equal(Enumerable.Range(10, 10), toSet);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ATerminatorsCompletionStopsTheOthersAndWaitReturnsWithoutError(Placement placement)
    {
        await using var runtime = NewRuntime();
        var numbers = runtime.CreateBuffer<int>("numbers", 64);
        runtime.Add(new Countdown { Name = "countdown", Output = numbers.Writer, Count = 500 }, placement);
        runtime.Add(new IntSink { Name = "sink", Input = numbers.Reader }, placement);
        runtime.Add(new Idler { Name = "idler" }, placement);
        await runtime.StartAsync();

        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(RunnableState.Completed, runtime.GetRunnable("countdown").State);
        Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("idler").State);
        // The sink's input completed with the countdown: it may end by itself before the stop reaches it.
        Assert.Contains(runtime.GetRunnable("sink").State, new[] { RunnableState.Completed, RunnableState.Stopped });
        var stop = await runtime.StopAsync();
        Assert.True(stop.AllStopped);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ATerminatorThatIsStoppedDoesNotCountAsCompletion(Placement placement)
    {
        await using var runtime = NewRuntime();
        var done = runtime.CreateEvent("done");
        runtime.Add(new EventTerminator { Name = "terminator", Signal = done }, placement);
        runtime.Add(new Idler { Name = "idler" }, placement);
        await runtime.StartAsync();

        await runtime.AskAsync<int>("idler", new GetPid());
        await runtime.AskAsync<int>("terminator", new GetPid());
        await Task.Delay(300);
        Assert.Equal(RunnableState.Running, runtime.GetRunnable("idler").State);
        Assert.Equal(RunnableState.Running, runtime.GetRunnable("terminator").State);
        await runtime.StopAsync();
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("terminator").State);
        Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("idler").State);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ATerminatorWaitingForAnEventStopsThePipelineWhenTheEventIsSet(Placement placement)
    {
        await using var runtime = NewRuntime();
        var done = runtime.CreateEvent("done");
        runtime.Add(new EventTerminator { Name = "terminator", Signal = done }, placement);
        runtime.Add(new Idler { Name = "idler" }, Placement.Process);
        runtime.Add(new SignalCounter { Name = "counter", Signal = done }, Placement.Thread);
        await runtime.StartAsync();
        await runtime.AskAsync<int>("terminator", new GetPid());

        var wait = runtime.WaitAsync();
        await Task.Delay(300);
        Assert.False(wait.IsCompleted);
        done.Set();
        await wait.WaitAsync(Patience);
        Assert.Equal(RunnableState.Completed, runtime.GetRunnable("terminator").State);
        Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("idler").State);
        Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("counter").State);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheRuntimeReleasesItsEventsSegmentsWhenDisposed(Placement placement)
    {
        var runtime = NewRuntime();
        string segment;
        try
        {
            var signal = runtime.CreateEvent("released");
            segment = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(signal)).RootElement.GetProperty("segment").GetString()!;
            runtime.Add(new SignalCounter { Name = "counter", Signal = signal }, placement);
            await runtime.StartAsync();
            signal.Set();
            Assert.Equal(("counter", (object)1), Report(await ReadOneAsync(runtime.Status)));
            await runtime.StopAsync();
        }
        finally
        {
            await runtime.DisposeAsync();
        }

        var hex = segment.Split('@')[0];
        Assert.StartsWith("puma-", hex);
        Assert.DoesNotContain(Directory.EnumerateFiles("/proc/self/fd").Select(LinkOf), link => link.Contains(hex, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles("/dev/shm", hex + "*"));
    }

    private static string LinkOf(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static (string, object) Report(StatusReport report) => (report.Runnable, report.Value);
}
