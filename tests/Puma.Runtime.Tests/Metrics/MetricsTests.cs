using System.Diagnostics.Metrics;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Metrics;

public class MetricsTests
{
    private const int Count = 10_000;
    private const int SampleBytes = 16;

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AKnownRunsMetricsEqualItsCounts(Placement placement)
    {
        await using var runtime = NewRuntime();
        BuildPipeline(runtime, placement, placement);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        var metrics = runtime.Metrics();
        AssertCounts(metrics);
        Assert.Equal(["source", "forwarder", "sink"], metrics.Runnables.Select(r => r.Name));
        Assert.Equal(["in", "out"], metrics.Buffers.Select(b => b.Name));
        Assert.All(metrics.Runnables, r => Assert.Equal(placement, r.Placement));
        Assert.All(metrics.Runnables, r => Assert.Equal(0, r.Restarts));
        Assert.True(metrics.Runnable("forwarder").HandlerTime > TimeSpan.Zero);
        Assert.All(metrics.Buffers, b => Assert.Equal(0, b.FillLevel));
    }

    [Fact]
    public async Task AProcessRunnableBetweenThreadRunnablesIsCountedOnBothSides()
    {
        await using var runtime = NewRuntime();
        BuildPipeline(runtime, Placement.Thread, Placement.Process);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        var metrics = runtime.Metrics();
        AssertCounts(metrics);
        Assert.Equal(Placement.Process, metrics.Runnable("forwarder").Placement);
        Assert.NotEqual(Environment.ProcessId, metrics.Runnable("forwarder").ProcessId);
        Assert.Equal(Environment.ProcessId, metrics.Runnable("sink").ProcessId);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task RestartsAreCountedAndTheBuffersStayExact(Placement placement)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateBuffer<Sample>("in", 64);
        var output = runtime.CreateBuffer<Sample>("out", 64);
        runtime.Add(new SampleSource { Name = "source", Output = input.Writer, Count = Count }, placement);
        runtime.Add(new SampleForwarder { Name = "forwarder", Input = input.Reader, Output = output.Writer, FailAt = 5 }, placement,
            FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)));
        runtime.Add(new SampleSink { Name = "sink", Input = output.Reader }, placement);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        var metrics = runtime.Metrics();
        Assert.Equal(1, metrics.Runnable("forwarder").Restarts);
        Assert.Equal(0, metrics.Runnable("source").Restarts);
        // Sample 5 was read, then lost with the failed run: every other sample went through.
        Assert.Equal(Count, metrics.Buffer("in").ItemsWritten);
        Assert.Equal(Count, metrics.Buffer("in").ItemsRead);
        Assert.Equal(Count - 1, metrics.Buffer("out").ItemsWritten);
        Assert.Equal(Count - 1, metrics.Buffer("out").ItemsRead);
        Assert.Equal(Count - 1, metrics.Runnable("forwarder").ItemsOut);
        // The forwarder's handler took every sample, the one it threw on and those of the failed batch included.
        Assert.Equal(Count, metrics.Runnable("forwarder").ItemsIn);
        Assert.Equal(Count - 1, metrics.Runnable("sink").ItemsIn);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AMeterListenerSeesThePumaInstrumentsByName(Placement placement)
    {
        await using var runtime = NewRuntime();
        BuildPipeline(runtime, placement, placement);
        var seen = new Dictionary<(string Instrument, string Tag), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Puma")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        listener.RecordObservableInstruments();

        Assert.Equal(Count, seen[("puma.runnable.items_in", "forwarder")]);
        Assert.Equal(Count, seen[("puma.runnable.items_out", "forwarder")]);
        Assert.Equal(0, seen[("puma.runnable.restarts", "forwarder")]);
        Assert.True(seen[("puma.runnable.handler_time", "forwarder")] > 0);
        // A thread runnable reports its loop's busy share and the supervisor's memory; a process runnable whose child
        // has exited reports 0 for both.
        if (placement == Placement.Thread)
        {
            Assert.InRange(seen[("puma.runnable.cpu", "forwarder")], 0, 100);
            Assert.True(seen[("puma.runnable.memory", "forwarder")] > 0);
        }
        else
        {
            Assert.Equal(0, seen[("puma.runnable.cpu", "forwarder")]);
            Assert.Equal(0, seen[("puma.runnable.memory", "forwarder")]);
        }
        Assert.Equal(Count, seen[("puma.buffer.items_written", "in")]);
        Assert.Equal(Count, seen[("puma.buffer.items_read", "out")]);
        Assert.Equal(Count * SampleBytes, seen[("puma.buffer.bytes_written", "in")]);
        Assert.Equal(Count * SampleBytes, seen[("puma.buffer.bytes_read", "out")]);
        Assert.Equal(0, seen[("puma.buffer.fill", "in")]);
        Assert.True(seen.ContainsKey(("puma.buffer.writer_waits", "out")));

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (TagsOf(tags) is ({ } name, { } runtimeId) && runtimeId == runtime.MetricsRuntimeId)
            {
                lock (seen)
                    seen[(instrument.Name, name)] = value;
            }
        }
    }

    [Fact]
    public async Task TwoRuntimesOfOneProcessPublishSeriesThatTheRuntimeTagTellsApart()
    {
        await using var first = NewRuntime();
        await using var second = NewRuntime();
        BuildPipeline(first, Placement.Thread, Placement.Thread);
        var input = second.CreateBuffer<Sample>("in", 64);
        second.Add(new SampleSource { Name = "source", Output = input.Writer, Count = 7 }, Placement.Thread);
        second.Add(new SampleSink { Name = "forwarder", Input = input.Reader }, Placement.Thread);
        var seen = new Dictionary<(string Runtime, string Name), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Puma" && instrument.Name == "puma.runnable.items_in")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (TagsOf(tags) is ({ } name, { } runtimeId))
            {
                lock (seen)
                    seen[(runtimeId, name)] = value;
            }
        });
        listener.Start();
        await first.StartAsync();
        await second.StartAsync();
        await first.WaitAsync().WaitAsync(Patience);
        await second.WaitAsync().WaitAsync(Patience);

        listener.RecordObservableInstruments();

        Assert.NotEqual(first.MetricsRuntimeId, second.MetricsRuntimeId);
        Assert.Equal(Count, seen[(first.MetricsRuntimeId!, "forwarder")]);
        Assert.Equal(7, seen[(second.MetricsRuntimeId!, "forwarder")]);
    }

    /// <summary>The runnable or buffer name and the runtime of a measurement.</summary>
    private static (string? Name, string? Runtime) TagsOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? name = null;
        string? runtime = null;
        foreach (var tag in tags)
        {
            if (tag.Key is "runnable" or "buffer")
                name = tag.Value as string;
            else if (tag.Key == "runtime")
                runtime = tag.Value as string;
        }
        return (name, runtime);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ABroadcastBufferCountsEveryReadersItems(Placement placement)
    {
        await using var runtime = NewRuntime();
        var fan = runtime.CreateBuffer<Sample>("fan", 64, BufferMode.Broadcast);
        runtime.Add(new SampleSource { Name = "source", Output = fan.Writer, Count = Count }, placement);
        runtime.Add(new SampleSink { Name = "left", Input = fan.AddReader() }, placement);
        runtime.Add(new SampleSink { Name = "right", Input = fan.AddReader() }, placement);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        var metrics = runtime.Metrics();
        var buffer = metrics.Buffer("fan");
        Assert.Equal((BufferMode.Broadcast, (long)Count, 2L * Count), (buffer.Mode, buffer.ItemsWritten, buffer.ItemsRead));
        Assert.Equal(((long)Count * SampleBytes, 2L * Count * SampleBytes), (buffer.BytesWritten, buffer.BytesRead));
        Assert.Equal((Count, Count), (metrics.Runnable("left").ItemsIn, metrics.Runnable("right").ItemsIn));
    }

    [Fact]
    public async Task AChildKilledWhileBusyStopsAddingHandlerTime()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new BusyForever { Name = "busy" }, Placement.Process);
        await runtime.StartAsync();
        await EventuallyAsync(() => Task.FromResult(runtime.Metrics().Runnable("busy") is { ProcessId: > 0, HandlerTime.Ticks: > 0 }), "the child is busy");

        System.Diagnostics.Process.GetProcessById(runtime.Metrics().Runnable("busy").ProcessId).Kill();
        await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

        // The supervisor closed the busy spell the child died in: the time stays put (a counter never drops either).
        var atEnd = runtime.Metrics().Runnable("busy").HandlerTime;
        await Task.Delay(300);
        Assert.Equal(atEnd, runtime.Metrics().Runnable("busy").HandlerTime);
    }

    [Fact]
    public async Task MetricsOffCountsNothingAndSaysSo()
    {
        await using var runtime = new PumaRuntime(new PumaOptions { Logger = Serilog.Core.Logger.None, Metrics = false });
        BuildPipeline(runtime, Placement.Thread, Placement.Thread);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        var error = Assert.Throws<InvalidOperationException>(() => runtime.Metrics());
        Assert.Contains("PumaOptions.Metrics is false", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task MetricsThatCannotStartAreLoggedAndTheRunGoesOnWithoutThem(Placement placement)
    {
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        await using var runtime = new PumaRuntime(new PumaOptions { Logger = logger })
        {
            MetricsFactory = (_, _) => throw new IOException("No space left on device"),
        };
        BuildPipeline(runtime, placement, placement);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        var error = Assert.Throws<InvalidOperationException>(() => runtime.Metrics());
        Assert.Contains("No space left on device", error.Message);
        Assert.Contains(sink.Events, e => e.Level == Serilog.Events.LogEventLevel.Warning && e.Exception is IOException { Message: "No space left on device" });
    }

    [Fact]
    public async Task MetricsBeforeStartAndAfterDisposeThrow()
    {
        var runtime = NewRuntime();
        BuildPipeline(runtime, Placement.Thread, Placement.Thread);
        Assert.Contains("StartAsync", Assert.Throws<InvalidOperationException>(() => runtime.Metrics()).Message);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);
        await runtime.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => runtime.Metrics());
    }

    private static void BuildPipeline(PumaRuntime runtime, Placement ends, Placement middle)
    {
        var input = runtime.CreateBuffer<Sample>("in", 64);
        var output = runtime.CreateBuffer<Sample>("out", 64);
        runtime.Add(new SampleSource { Name = "source", Output = input.Writer, Count = Count }, ends);
        runtime.Add(new SampleForwarder { Name = "forwarder", Input = input.Reader, Output = output.Writer }, middle);
        runtime.Add(new SampleSink { Name = "sink", Input = output.Reader }, ends);
    }

    private static void AssertCounts(PumaMetrics metrics)
    {
        var source = metrics.Runnable("source");
        var forwarder = metrics.Runnable("forwarder");
        var sink = metrics.Runnable("sink");
        Assert.Equal((0, Count), (source.ItemsIn, source.ItemsOut));
        Assert.Equal((Count, Count), (forwarder.ItemsIn, forwarder.ItemsOut));
        Assert.Equal((Count, 0), (sink.ItemsIn, sink.ItemsOut));
        foreach (var name in (string[])["in", "out"])
        {
            var buffer = metrics.Buffer(name);
            Assert.Equal(BufferMode.ManyToOne, buffer.Mode);
            Assert.Equal((Count, Count), (buffer.ItemsWritten, buffer.ItemsRead));
            Assert.Equal(((long)Count * SampleBytes, (long)Count * SampleBytes), (buffer.BytesWritten, buffer.BytesRead));
        }
    }
}
