using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Batched publication (<see cref="RingWriter.BeginBatch"/> ... <see cref="RingWriter.Flush"/>): readers see none of
/// a batch before it is published, then all of it in order; a batch is published early when it fills an eighth of
/// the ring, when a reader is parked, before the writer waits for space, and when the writer completes or releases.
/// </summary>
public sealed class RingBatchTests
{
    [Fact]
    public void ABatchIsInvisibleUntilFlushedThenReadInOrder()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();

        writer.BeginBatch();
        for (var i = 0; i < 10; i++)
            Assert.True(writer.TryWrite(i));
        Assert.False(reader.TryRead(out _));

        writer.Flush();
        Assert.Equal(Enumerable.Range(0, 10), ReadAvailable(reader));
    }

    [Fact]
    public void WritesAfterAFlushArePublishedAtOnce()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        writer.BeginBatch();
        writer.TryWrite(1);
        writer.Flush();

        writer.TryWrite(2);

        Assert.Equal([1, 2], ReadAvailable(reader));
    }

    [Fact]
    public void ABatchIsPublishedOnceItHoldsAnEighthOfTheRing()
    {
        const int capacity = 64 * 1024;
        using var ring = RingTestSupport.Create(capacity: capacity);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        var recordBytes = 16 + 8; // header + a long
        var perEighth = (capacity / 8 + recordBytes - 1) / recordBytes; // the commit that reaches an eighth publishes

        writer.BeginBatch();
        for (var i = 0; i < perEighth - 1; i++)
            writer.TryWrite(i);
        Assert.False(reader.TryRead(out _));
        writer.TryWrite(perEighth - 1);
        writer.TryWrite(perEighth); // the next batch, held back again

        Assert.Equal(Enumerable.Range(0, perEighth).Select(i => (long)i), ReadAvailable(reader));
    }

    [Fact]
    public async Task ABatchIsPublishedWhenAReaderIsParked()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var waiting = reader.WaitToReadAsync().AsTask();
        await RingTestSupport.EventuallyAsync(() => ring.HasDataWaiters, "the reader parks");

        writer.BeginBatch();
        writer.TryWrite(7); // the batch's first record: a parked reader makes the commit publish it

        Assert.True(await waiting.WaitAsync(RingTestSupport.Generous));
        Assert.Equal([7], ReadAvailable(reader));
    }

    [Fact]
    public async Task AWriterThatWaitsForSpacePublishesItsBatchFirst()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<byte[]>();
        using var reader = ring.CreateReader<byte[]>();
        var item = new byte[400];
        writer.BeginBatch();
        var written = 0;
        while (writer.TryWrite(item))
            written++;

        // The ring is full of the batch: the reader must see it to make room for the writer.
        var write = writer.WriteAsync(item).AsTask();
        var read = 0;
        while (read < written)
        {
            Assert.True(await reader.WaitToReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));
            while (reader.TryRead(out _))
                read++;
        }
        await write.WaitAsync(RingTestSupport.Generous);
        Assert.Equal(written, read);
        Assert.False(reader.TryRead(out _)); // the waiting write opened the next batch

        writer.Flush();
        Assert.True(reader.TryRead(out _));
    }

    [Fact]
    public async Task ReleasingTheWriterPublishesItsBatchBeforeTheRingCompletes()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        writer.BeginBatch();
        writer.TryWrite(1);
        writer.TryWrite(2);

        writer.ReleaseWriter();

        var received = new List<int>();
        await foreach (var item in reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(RingTestSupport.Generous).Token))
            received.Add(item);
        Assert.Equal([1, 2], received);
    }

    [Fact]
    public void CompletingTheRingPublishesTheBatchFirst()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        writer.BeginBatch();
        writer.TryWrite(5);

        Assert.True(writer.TryComplete());

        Assert.Equal([5], ReadAvailable(reader));
        Assert.True(reader.Completion.IsCompleted || !reader.TryRead(out _));
    }

    [Fact]
    public void OnARingWithSeveralWritersABatchHoldsBackTheRecordsBehindItsFirst()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024, writers: 2);
        using var first = ring.CreateWriter<int>();
        using var second = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();

        first.BeginBatch();
        first.TryWrite(1); // its first record stays a claim being written
        second.TryWrite(2);
        first.TryWrite(3);
        Assert.Empty(ReadAvailable(reader));
        ring.ValidateShared(); // a held record is a claim being written, not corruption

        first.Flush();
        Assert.Equal([1, 2, 3], ReadAvailable(reader));
    }

    private static List<T> ReadAvailable<T>(SharedMemoryChannelReader<T> reader)
    {
        var items = new List<T>();
        while (reader.TryRead(out var item))
            items.Add(item);
        return items;
    }
}
