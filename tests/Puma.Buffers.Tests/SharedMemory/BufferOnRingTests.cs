using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// A buffer opened on a shared-memory ring in this process: its writer references go back to the ring one
/// at a time, a broadcast reader that leaves closes its slot, and a competing reader end outlives the
/// runnables that leave it.
/// </summary>
public class BufferOnRingTests
{
    [Fact]
    public async Task ReleasingTheLastLocalWriterGivesBackOnlyThisProcesssRingReference()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, writers: 2);
        var buffer = new PumaBuffer<int>("shared", 4);
        var reader = buffer.Reader;
        var writer = buffer.Writer;
        buffer.OpenSharedMemory(ring, [0]);
        Assert.Equal("shared", ring.BufferName);
        using var elsewhere = ring.CreateWriter<int>(); // the other process's writer reference

        buffer.AddWriterReference();
        Assert.True(writer.TryWrite(1));
        buffer.ReleaseWriter(null);
        Assert.False(ring.IsCompleted);
        Assert.True(elsewhere.TryWrite(2));
        Assert.Equal(1, await reader.ReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));
        Assert.Equal(2, await reader.ReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));

        elsewhere.ReleaseWriter();
        Assert.False(await reader.WaitToReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));
        await reader.Completion.WaitAsync(RingTestSupport.Generous);
    }

    [Fact]
    public async Task AWriterReleasedWithAnErrorCompletesTheRingAtOnce()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, writers: 2);
        var buffer = new PumaBuffer<int>("shared", 4);
        var reader = buffer.Reader;
        buffer.OpenSharedMemory(ring, [0]);
        buffer.AddWriterReference();
        buffer.AddWriterReference();

        buffer.ReleaseWriter(new TimeoutException("writer broke"));
        Assert.True(ring.IsCompleted);
        var error = await Assert.ThrowsAsync<RemoteBufferException>(() => reader.ReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));
        Assert.Equal(("System.TimeoutException", "writer broke"), (error.RemoteType, error.Message));
    }

    [Fact]
    public void ABroadcastReaderThatLeavesClosesItsSlotAndNoLongerHoldsTheWriterBack()
    {
        using var ring = RingTestSupport.Create(capacity: 256, mode: BufferMode.Broadcast, readers: 2);
        var buffer = new PumaBuffer<long>("fan", 4, BufferMode.Broadcast, capacityBytes: 256);
        var stays = buffer.AddReader();
        var leaves = buffer.AddReader();
        var writer = buffer.Writer;
        buffer.OpenSharedMemory(ring, [0, 1]);
        buffer.AddReaderReference();
        buffer.AddReaderReference();

        var written = 0;
        while (writer.TryWrite(written))
            written++;
        Assert.InRange(written, 1, 16);
        for (var i = 0; i < written; i++)
            Assert.True(stays.TryRead(out _));
        Assert.False(writer.TryWrite(written)); // the other slot still holds every item

        buffer.ReleaseReader("leaves", leaves.Index);
        Assert.False(ring.IsCompleted);
        Assert.True(writer.TryWrite(written));
        Assert.True(stays.TryRead(out var next));
        Assert.Equal(written, next);
    }

    [Fact]
    public void ACompetingReaderEndGoesOnAfterOneOfItsRunnablesLeaves()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, mode: BufferMode.Competing, readers: 1);
        var buffer = new PumaBuffer<int>("work", 4, BufferMode.Competing);
        var reader = buffer.Reader;
        var writer = buffer.Writer;
        buffer.OpenSharedMemory(ring, [0]);
        buffer.AddReaderReference();
        buffer.AddReaderReference();

        buffer.ReleaseReader("one", 0);
        Assert.True(writer.TryWrite(7));
        Assert.True(reader.TryRead(out var item));
        Assert.Equal(7, item);
        Assert.False(ring.IsCompleted);
    }
}
