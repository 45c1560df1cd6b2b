using Puma.Buffers.Metrics;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.Metrics;

public class BufferCountingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly record struct Pair(long A, long B);

    [Fact]
    public async Task AnInProcessBufferCountsWritesAndWaitsAndDerivesItsReads()
    {
        var buffer = new PumaBuffer<Pair>("pairs", capacity: 2);
        buffer.CountEnds(sharedWriter: false, sharedReaders: false);
        buffer.OpenInProcess();
        var writer = buffer.Writer;
        var reader = buffer.Reader;

        Assert.True(writer.TryWrite(new Pair(1, 1)));
        await writer.WriteAsync(new Pair(2, 2));
        Assert.Equal(1.0, buffer.FillLevel);
        var waiting = writer.WriteAsync(new Pair(3, 3)); // full: the writer waits
        Assert.False(waiting.IsCompleted);
        Assert.True(reader.TryRead(out _));
        await waiting.AsTask().WaitAsync(Patience);

        Assert.Equal((3, 3 * 16, 1), (buffer.WriterCounters!.Items, buffer.WriterCounters.Bytes, buffer.WriterCounters.Waits));
        Assert.Equal([(1L, 16L)], buffer.InProcessReads!);
        Assert.True(reader.TryRead(out _));
        Assert.True(reader.TryRead(out _));
        Assert.Equal([(3L, 48L)], buffer.InProcessReads!);
        Assert.Equal(0.0, buffer.FillLevel);
    }

    [Fact]
    public async Task ARingsEndsCountItemsPayloadBytesAndWaits()
    {
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 256 });
        var written = new EndCounters();
        var read = new EndCounters();
        using var writer = ring.CreateWriter<string>();
        using var reader = ring.CreateReader<string>();
        ((ISharedMemoryPort)writer).CountWith(written);
        ((ISharedMemoryPort)reader).CountWith(read);

        var sent = 0;
        while (writer.TryWrite("abcdefghij")) // a string crosses as its UTF-16 chars: 20 payload bytes, 40 with the record header and padding
            sent++;
        var waiting = writer.WriteAsync("xyz");
        Assert.False(waiting.IsCompleted);
        var got = 0;
        while (got <= sent)
        {
            if (reader.TryRead(out _))
                got++;
            else
                await reader.WaitToReadAsync().AsTask().WaitAsync(Patience);
        }
        await waiting.AsTask().WaitAsync(Patience);

        Assert.Equal((sent + 1L, sent * 20L + 6, 1L), (written.Items, written.Bytes, written.Waits));
        Assert.Equal((sent + 1L, sent * 20L + 6, 0L), (read.Items, read.Bytes, read.Waits));
        Assert.Equal(0.0, ring.FillLevel());
    }

    [Fact]
    public async Task TwoThreadsWritingThroughASharedEndAreBothCountedExactly()
    {
        const int perWriter = 100_000;
        var buffer = new PumaBuffer<Pair>("pairs", capacity: 1024);
        buffer.CountEnds(sharedWriter: true, sharedReaders: false);
        buffer.OpenInProcess();
        var writer = buffer.Writer;
        var drain = Task.Run(async () =>
        {
            var got = 0;
            await foreach (var _ in buffer.Reader.ReadAllAsync())
                got++;
            return got;
        });

        await Task.WhenAll(Write(1), Write(2)).WaitAsync(Patience);
        writer.Complete();

        Assert.Equal(2 * perWriter, await drain.WaitAsync(Patience));
        Assert.Equal((2L * perWriter, 2L * perWriter * 16), (buffer.WriterCounters!.Items, buffer.WriterCounters.Bytes));
        Assert.Equal([(2L * perWriter, 2L * perWriter * 16)], buffer.InProcessReads!);

        Task Write(long id) => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
                await writer.WriteAsync(new Pair(id, i));
        });
    }

    [Fact]
    public unsafe void CountersOfDifferentEndsNeverShareACacheLinePair()
    {
        var first = CounterCells.Allocate(EndCounters.CellCount);
        var second = CounterCells.Allocate(EndCounters.CellCount);

        Assert.Equal(0u, (nuint)first.Address % CounterCells.PadBytes);
        Assert.Equal(0u, (nuint)second.Address % CounterCells.PadBytes);
        Assert.NotEqual((nuint)first.Address / CounterCells.PadBytes, (nuint)second.Address / CounterCells.PadBytes);
        GC.KeepAlive(first.Owner);
        GC.KeepAlive(second.Owner);
    }
}
