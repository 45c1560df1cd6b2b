using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>Handing a slot or a writer reference over to a restarted runnable, and closing a handed-back slot.</summary>
public sealed class HandOverTests
{
    [Fact]
    public void ADetachedReaderSlotIsReopenedWhereItStopped()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        var first = ring.CreateReader<int>();
        for (var i = 0; i < 5; i++)
            Assert.True(writer.TryWrite(i));
        Assert.True(first.TryRead(out var zero));
        Assert.Equal(0, zero);
        first.Detach();

        // The writer keeps the pending slot's items; the next reader of the slot reads on from item 1.
        using var second = ring.CreateReader<int>();
        var rest = new List<int>();
        while (second.TryRead(out var item))
            rest.Add(item);
        Assert.Equal([1, 2, 3, 4], rest);
    }

    [Fact]
    public void ADetachedWriterReferenceCanBeTakenAgainAndDoesNotCompleteTheRing()
    {
        using var ring = RingTestSupport.Create(writers: 1);
        using var reader = ring.CreateReader<int>();
        var failed = ring.CreateWriter<int>();
        Assert.True(failed.TryWrite(1));
        failed.Detach();
        Assert.False(reader.Completion.IsCompleted);

        // The ring has one writer reference: only a reference handed back can be taken again.
        using var restarted = ring.CreateWriter<int>();
        Assert.Throws<InvalidOperationException>(() => ring.CreateWriter<int>());
        Assert.True(restarted.TryWrite(2));
        restarted.ReleaseWriter();
        var items = new List<int>();
        while (reader.TryRead(out var item))
            items.Add(item);
        Assert.Equal([1, 2], items);
        Assert.True(reader.Completion.IsCompleted);
    }

    [Fact]
    public void ClosingAPendingSlotStopsWritersWaitingForIt()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, mode: BufferMode.Broadcast, readers: 2);
        using var writer = ring.CreateWriter<long>();
        using var live = ring.CreateReader<long>(0);
        var written = 0;
        while (writer.TryWrite(written))
            written++;
        // Slot 1 was never opened: it is pending and holds the writer back.
        while (live.TryRead(out _))
        {
        }
        Assert.False(writer.TryWrite(-1));
        Assert.True(ring.CloseSlot(1));
        Assert.True(writer.TryWrite(-1));
        Assert.False(ring.CloseSlot(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.CloseSlot(2));
    }
}
