using System.Threading.Channels;

namespace Puma.Buffers.Tests;

/// <summary>
/// An in-process broadcast buffer: ends that leave (first or last) stop holding the writer back and wake it,
/// completion reaches parked writers, and no reader code runs inside a writer's call.
/// </summary>
public class BroadcastBufferTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static (PumaBuffer<int> Buffer, BufferReader<int>[] Readers, BufferWriter<int> Writer) Open(int capacity, int readers)
    {
        var buffer = new PumaBuffer<int>("fan", capacity, BufferMode.Broadcast);
        var ends = Enumerable.Range(0, readers).Select(_ => buffer.AddReader()).ToArray();
        var writer = buffer.Writer;
        buffer.OpenInProcess();
        for (var i = 0; i < readers; i++)
            buffer.AddReaderReference();
        return (buffer, ends, writer);
    }

    [Fact]
    public async Task TheFirstReaderLeavingWakesAWriterItHeldBack()
    {
        var (buffer, readers, writer) = Open(capacity: 1, readers: 2);
        Assert.True(writer.TryWrite(1));
        Assert.True(readers[1].TryRead(out _));
        var parked = writer.WriteAsync(2).AsTask();
        Assert.False(parked.IsCompleted);

        buffer.ReleaseReader("first", readers[0].Index);
        await parked.WaitAsync(Patience);
        Assert.True(readers[1].TryRead(out var item));
        Assert.Equal(2, item);
    }

    [Fact]
    public void ALeftReaderKeepsNoItems()
    {
        var (buffer, readers, writer) = Open(capacity: 2, readers: 2);
        buffer.ReleaseReader("gone", 1);
        for (var i = 0; i < 6; i++)
        {
            Assert.True(writer.TryWrite(i));
            Assert.True(readers[0].TryRead(out _));
        }

        Assert.True(readers[1].CanCount);
        Assert.Equal(0, readers[1].Count);
        Assert.False(readers[1].TryRead(out _));
    }

    [Fact]
    public void ReaderEndsCountTheirUnreadItems()
    {
        var (_, readers, writer) = Open(capacity: 4, readers: 2);
        Assert.True(writer.TryWrite(1));
        Assert.True(writer.TryWrite(2));
        Assert.True(readers[0].TryRead(out _));
        Assert.Equal((true, true), (readers[0].CanCount, readers[1].CanCount));
        Assert.Equal((1, 2), (readers[0].Count, readers[1].Count));
    }

    [Fact]
    public void AReleaseForAnIndexWithoutAnEndDetachesNothing()
    {
        var (buffer, readers, writer) = Open(capacity: 1, readers: 2);
        buffer.AddReaderReference();
        buffer.AddReaderReference();
        buffer.ReleaseReader("stray", readers.Length);
        buffer.ReleaseReader("stray", -1);
        Assert.True(writer.TryWrite(1));
        Assert.True(readers[0].TryRead(out _));
        Assert.False(writer.TryWrite(2));
        Assert.False(readers[0].Completion.IsCompleted);
    }

    [Fact]
    public async Task ACompletedBroadcastRefusesWritesAndSaysSoOnce()
    {
        var (_, readers, writer) = Open(capacity: 4, readers: 2);
        Assert.True(writer.TryComplete());
        Assert.False(writer.TryComplete());
        Assert.False(writer.TryWrite(1));
        Assert.False(await writer.WaitToWriteAsync().AsTask().WaitAsync(Patience));
        await Assert.ThrowsAsync<ChannelClosedException>(() => writer.WriteAsync(1).AsTask().WaitAsync(Patience));
        foreach (var r in readers)
            await r.Completion.WaitAsync(Patience);
    }

    [Fact]
    public async Task ABroadcastCompletedWithAnErrorThrowsItToWritersThatWait()
    {
        var (_, _, writer) = Open(capacity: 4, readers: 1);
        var error = new TimeoutException("upstream");
        Assert.True(writer.TryComplete(error));
        Assert.Same(error, await Assert.ThrowsAsync<TimeoutException>(() => writer.WaitToWriteAsync().AsTask().WaitAsync(Patience)));
    }

    [Fact]
    public async Task AWriterParkedOnAFullBroadcastFailsWhenItCompletes()
    {
        var (_, readers, writer) = Open(capacity: 1, readers: 2);
        Assert.True(writer.TryWrite(1));
        var parked = writer.WriteAsync(2).AsTask();
        Assert.False(parked.IsCompleted);

        Assert.True(writer.TryComplete());
        var e = await Assert.ThrowsAsync<ChannelClosedException>(() => parked.WaitAsync(Patience));
        Assert.Null(e.InnerException);
        Assert.True(readers[0].TryRead(out var only));
        Assert.Equal(1, only);
        Assert.False(readers[0].TryRead(out _));
    }

    [Fact]
    public async Task EveryWriterParkedOnAFullBroadcastGetsItsTurn()
    {
        var (_, readers, writer) = Open(capacity: 1, readers: 1);
        Assert.True(writer.TryWrite(0));
        var first = writer.WriteAsync(1).AsTask();
        var second = writer.WriteAsync(2).AsTask();
        Assert.False(first.IsCompleted || second.IsCompleted);

        var read = new List<int>();
        while (read.Count < 3)
            read.Add(await readers[0].ReadAsync().AsTask().WaitAsync(Patience));
        await Task.WhenAll(first, second).WaitAsync(Patience);
        Assert.Equal([0, 1, 2], read.Order());
    }

    [Theory]
    [InlineData(BufferMode.ManyToOne)]
    [InlineData(BufferMode.Competing)]
    [InlineData(BufferMode.Broadcast)]
    public async Task AReaderWaitingForAnItemNeverRunsInsideTheWritersCall(BufferMode mode)
    {
        var buffer = new PumaBuffer<int>("b", 4, mode);
        var reader = mode == BufferMode.Broadcast ? buffer.AddReader() : buffer.Reader;
        var writer = buffer.Writer;
        buffer.OpenInProcess();

        var insideTryWrite = new ThreadLocal<bool>();
        var ranInside = new TaskCompletionSource<bool>();
        _ = reader.WaitToReadAsync().AsTask().ContinueWith(
            _ => ranInside.SetResult(insideTryWrite.Value), TaskContinuationOptions.ExecuteSynchronously);
        insideTryWrite.Value = true;
        Assert.True(writer.TryWrite(1));
        insideTryWrite.Value = false;
        Assert.False(await ranInside.Task.WaitAsync(Patience));
    }
}
