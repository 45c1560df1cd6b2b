using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

public class ValidationTests
{
    [Fact]
    public async Task DuplicateRunnableNamesAreRejected()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "same" });
        var error = Assert.Throws<ArgumentException>(() => runtime.Add(new Ticker { Name = "same" }));
        Assert.Contains("'same'", error.Message);
    }

    [Fact]
    public async Task DuplicateBufferNamesAndZeroCapacityAreRejected()
    {
        await using var runtime = NewRuntime();
        runtime.CreateBuffer<Frame>("b", 4);
        Assert.Contains("'b'", Assert.Throws<ArgumentException>(() => runtime.CreateBuffer<Frame>("b", 4)).Message);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => runtime.CreateBuffer<Frame>("z", 0));
        Assert.Contains("at least 1", zero.Message);
        Assert.Contains("got 0", zero.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ABufferWithNoReaderIsRejected(Placement placement)
    {
        await using var runtime = NewRuntime();
        var orphan = runtime.CreateBuffer<Frame>("orphan", 4);
        runtime.Add(new Producer { Output = orphan.Writer }, placement);
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        var problem = "Buffer 'orphan' has no reader: bind buffer.Reader to a runnable's input.";
        Assert.Equal([problem], error.Problems);
        Assert.Equal("The Puma runtime cannot start:" + Environment.NewLine + " - " + problem, error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ABufferWithNoWriterIsRejected(Placement placement)
    {
        await using var runtime = NewRuntime();
        var empty = runtime.CreateBuffer<Frame>("empty", 4);
        var done = runtime.CreateBuffer<Summary>("done", 4);
        runtime.Add(new Collector { Input = empty.Reader, Output = done.Writer }, placement);
        _ = done.Reader;
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        Assert.Contains("Buffer 'empty' has no writer", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AOneReaderBufferBoundToTwoReadersIsRejected(Placement placement)
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 4);
        var done = runtime.CreateBuffer<Summary>("done", 4);
        runtime.Add(new Producer { Output = raw.Writer }, placement);
        runtime.Add(new Collector { Name = "a", Input = raw.Reader, Output = done.Writer }, placement);
        runtime.Add(new Collector { Name = "b", Input = raw.Reader, Output = done.Writer }, placement);
        _ = done.Reader;
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        Assert.Contains("'raw' is ManyToOne but its reader is bound to 2 runnables (a, b)", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ABroadcastReaderEndSharedByTwoRunnablesIsRejected(Placement placement)
    {
        await using var runtime = NewRuntime();
        var fan = runtime.CreateBuffer<Frame>("fan", 4, BufferMode.Broadcast);
        var done = runtime.CreateBuffer<Summary>("done", 4);
        var shared = fan.AddReader();
        runtime.Add(new Producer { Output = fan.Writer }, placement);
        runtime.Add(new Collector { Name = "a", Input = shared, Output = done.Writer }, placement);
        runtime.Add(new Collector { Name = "b", Input = shared, Output = done.Writer }, placement);
        _ = done.Reader;
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        Assert.Contains("broadcast reader 0 is bound to 2 runnables", error.Message);
        Assert.Throws<InvalidOperationException>(() => fan.Reader);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AnUnsetPortIsRejectedAndEveryProblemIsListed(Placement placement)
    {
        await using var runtime = NewRuntime();
        var done = runtime.CreateBuffer<Summary>("done", 4);
        runtime.Add(new Collector { Name = "c", Input = null!, Output = done.Writer }, placement);
        runtime.CreateBuffer<Frame>("unused", 4);
        _ = done.Reader;
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        Assert.Contains("Runnable 'c': port Input is not set", error.Message);
        Assert.Contains("Buffer 'unused' has no writer", error.Message);
        Assert.Contains("Buffer 'unused' has no reader", error.Message);
        Assert.Equal(3, error.Problems.Count);
    }

    [Fact]
    public async Task BuffersCannotBeUsedBeforeTheRuntimeStarts()
    {
        await using var runtime = NewRuntime();
        var b = runtime.CreateBuffer<Frame>("b", 4);
        var error = Assert.Throws<InvalidOperationException>(() => b.Writer.TryWrite(new Frame(0, 0)));
        Assert.Contains("'b' is not open yet", error.Message);
    }
}
