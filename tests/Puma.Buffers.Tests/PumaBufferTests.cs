using System.Threading.Channels;
using Puma.Buffers;

namespace Puma.Buffers.Tests;

public class PumaBufferTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AFullBufferMakesTryWriteFailAndWriteAsyncWait()
    {
        var buffer = new PumaBuffer<int>("b", 2);
        var writer = buffer.Writer;
        var reader = buffer.Reader;
        buffer.OpenInProcess();

        Assert.True(writer.TryWrite(1));
        Assert.True(writer.TryWrite(2));
        Assert.False(writer.TryWrite(3));
        var pending = writer.WriteAsync(3).AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(1, first);
        await pending.WaitAsync(Patience);
        Assert.Equal(2, await reader.ReadAsync());
        Assert.Equal(3, await reader.ReadAsync());
    }

    [Fact]
    public async Task CompleteWithErrorIsSeenAfterTheItemsAreDrained()
    {
        var buffer = new PumaBuffer<int>("b", 8);
        var writer = buffer.Writer;
        var reader = buffer.Reader;
        buffer.OpenInProcess();
        await writer.WriteAsync(1);
        await writer.WriteAsync(2);
        writer.Complete(new TimeoutException("upstream timed out"));

        var items = new List<int>();
        var error = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var i in reader.ReadAllAsync())
                items.Add(i);
        });
        Assert.Equal([1, 2], items);
        Assert.Equal("upstream timed out", error.Message);
        Assert.False(writer.TryWrite(3));
    }

    [Fact]
    public async Task BroadcastDeliversEveryItemToEveryReaderAndWaitsForTheSlowest()
    {
        var buffer = new PumaBuffer<int>("fan", 4, BufferMode.Broadcast);
        var readers = new[] { buffer.AddReader(), buffer.AddReader(), buffer.AddReader() };
        var writer = buffer.Writer;
        buffer.OpenInProcess();

        for (var i = 0; i < 4; i++)
            Assert.True(writer.TryWrite(i));
        Assert.False(writer.TryWrite(4));
        // Two readers drain; the third still holds 4 items, so the writer still waits.
        foreach (var r in readers.Take(2))
        {
            for (var i = 0; i < 4; i++)
                Assert.True(r.TryRead(out _));
        }

        Assert.False(writer.TryWrite(4));
        var pending = writer.WriteAsync(4).AsTask();
        Assert.True(readers[2].TryRead(out var item));
        Assert.Equal(0, item);
        await pending.WaitAsync(Patience);
        writer.Complete();

        foreach (var r in readers)
        {
            var rest = new List<int>();
            await foreach (var i in r.ReadAllAsync())
                rest.Add(i);
            Assert.Equal(r == readers[2] ? [1, 2, 3, 4] : [4], rest);
        }
    }

    [Fact]
    public async Task ABroadcastReaderWhoseRunnableEndedNoLongerHoldsTheWriterBack()
    {
        var buffer = new PumaBuffer<int>("fan", 2, BufferMode.Broadcast);
        var live = buffer.AddReader();
        var gone = buffer.AddReader();
        var writer = buffer.Writer;
        buffer.OpenInProcess();
        buffer.AddReaderReference();
        buffer.AddReaderReference();
        writer.TryWrite(1);
        writer.TryWrite(2);
        Assert.True(live.TryRead(out _));
        Assert.False(writer.TryWrite(3));

        buffer.ReleaseReader("gone-reader", gone.Index);
        Assert.True(writer.TryWrite(3));
        Assert.True(live.TryRead(out var two));
        Assert.Equal(2, two);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CompetingReadersShareTheItems()
    {
        var buffer = new PumaBuffer<int>("work", 1000, BufferMode.Competing);
        var reader = buffer.Reader;
        var writer = buffer.Writer;
        buffer.OpenInProcess();
        for (var i = 0; i < 1000; i++)
            writer.TryWrite(i);
        writer.Complete();

        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await foreach (var i in reader.ReadAllAsync())
                seen.Add(i);
        })));
        Assert.Equal(Enumerable.Range(0, 1000), seen.Order());
    }

    [Fact]
    public void TheLastWriterReferenceCompletesTheBufferAndAFailingWriterCompletesItAtOnce()
    {
        var buffer = new PumaBuffer<int>("merged", 8);
        var reader = buffer.Reader;
        _ = buffer.Writer;
        buffer.OpenInProcess();
        buffer.AddWriterReference();
        buffer.AddWriterReference();
        buffer.ReleaseWriter(null);
        Assert.False(reader.Completion.IsCompleted);
        buffer.ReleaseWriter(null);
        Assert.True(reader.Completion.IsCompletedSuccessfully);

        var failing = new PumaBuffer<int>("failing", 8);
        var r2 = failing.Reader;
        _ = failing.Writer;
        failing.OpenInProcess();
        failing.AddWriterReference();
        failing.AddWriterReference();
        failing.ReleaseWriter(new InvalidOperationException("writer broke"));
        Assert.Equal("writer broke", r2.Completion.Exception!.InnerException!.Message);
    }

    [Fact]
    public async Task WhenTheLastReaderGoesWritersFailInsteadOfWaiting()
    {
        var buffer = new PumaBuffer<int>("b", 1);
        var writer = buffer.Writer;
        _ = buffer.Reader;
        buffer.OpenInProcess();
        buffer.AddReaderReference();
        await writer.WriteAsync(1);
        var blocked = writer.WriteAsync(2).AsTask();
        buffer.ReleaseReader("consumer", 0);
        var error = await Assert.ThrowsAsync<ChannelClosedException>(() => blocked.WaitAsync(Patience));
        var gone = Assert.IsType<BufferReaderGoneException>(error.InnerException);
        Assert.Contains("'b' has no reader left: 'consumer'", gone.Message);
    }

    [Fact]
    public void BadArgumentsNameTheValueAndTheLimit()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new PumaBuffer<int>("z", 0));
        Assert.Contains("'z'", zero.Message);
        Assert.Contains("got 0", zero.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PumaBuffer<int>("m", 1, (BufferMode)7));
        Assert.Throws<InvalidOperationException>(() => new PumaBuffer<int>("one", 1).AddReader());
        var open = new PumaBuffer<int>("open", 1);
        open.OpenInProcess();
        Assert.Throws<InvalidOperationException>(() => open.OpenInProcess());
        Assert.Contains("not open yet", Assert.Throws<InvalidOperationException>(() => new PumaBuffer<int>("closed", 1).Reader.TryRead(out _)).Message);
    }
}
