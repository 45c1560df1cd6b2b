using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Re-attaching a competing reader slot handed back with <see cref="SharedMemoryChannelReader{T}.Detach"/>
/// (what a restarted reader process does) after more than the ring's capacity has passed.
/// </summary>
public sealed unsafe class CompetingReattachTests
{
    [Fact]
    public void ACompetingSlotIsReattachedAfterMoreThanTheCapacityHasPassed()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, mode: BufferMode.Competing, readers: 1);
        using var writer = ring.CreateWriter<long>();
        var received = new List<long>();

        // The first reader works on its own view of the segment, as a child process does.
        using (var firstView = SharedMemoryRing.Attach(ring.Name))
        {
            var first = firstView.CreateReader<long>(0);
            for (long i = 0; i < 1000; i++)
            {
                Assert.True(writer.TryWrite(i));
                Assert.True(first.TryRead(out var item));
                received.Add(item);
            }
            // It fails while it holds message 1000 (zero-copy path) and hands the slot back:
            // the held message is released, not delivered again.
            Assert.True(writer.TryWrite(1000));
            Assert.True(first.Raw.TryAcquire(out var held));
            Assert.Equal(1000L, BitConverter.ToInt64(held));
            first.Detach();
        }
        // The writer goes on while the slot is pending; far more than the capacity has passed.
        for (long i = 1001; i < 1050; i++)
            Assert.True(writer.TryWrite(i));
        Assert.True(Volatile.Read(ref *ring.ReserveCursor) > 5 * ring.CapacityBytes);

        // The restarted reader attaches the segment again and reads on from message 1001.
        using var secondView = SharedMemoryRing.Attach(ring.Name);
        using var second = secondView.CreateReader<long>(0);
        for (long i = 1050; i < 2000; i++)
        {
            Assert.True(writer.TryWrite(i));
            Assert.True(second.TryRead(out var item));
            received.Add(item);
        }
        writer.ReleaseWriter();
        while (second.TryRead(out var item))
            received.Add(item);
        Assert.True(second.Completion.IsCompletedSuccessfully);

        Assert.Equal(Enumerable.Range(0, 2000).Where(i => i != 1000).Select(i => (long)i), received);
    }

    [Fact]
    public void ACompetingSlotIsReattachedWhileAnotherReaderWentOnForMoreThanTheCapacity()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, mode: BufferMode.Competing, readers: 2);
        using var writer = ring.CreateWriter<long>();
        using var other = ring.CreateReader<long>(1);
        var byFirst = new List<long>();
        var bySecond = new List<long>();
        var byOther = new List<long>();
        long next = 0;

        using (var firstView = SharedMemoryRing.Attach(ring.Name))
        {
            var first = firstView.CreateReader<long>(0);
            for (; next < 500; next++)
            {
                Assert.True(writer.TryWrite(next));
                Assert.True((next % 2 == 0 ? first : other).TryRead(out var item));
                (next % 2 == 0 ? byFirst : byOther).Add(item);
            }
            Assert.True(writer.TryWrite(next++));
            Assert.True(first.Raw.TryAcquire(out var held));
            Assert.Equal(500L, BitConverter.ToInt64(held));
            first.Detach();
        }

        // Slot 0 is away (pending) while more than the capacity passes through the other reader.
        var reserveAtDetach = Volatile.Read(ref *ring.ReserveCursor);
        for (; next < 1000; next++)
        {
            Assert.True(writer.TryWrite(next));
            Assert.True(other.TryRead(out var item));
            byOther.Add(item);
        }
        Assert.True(Volatile.Read(ref *ring.ReserveCursor) - reserveAtDetach > ring.CapacityBytes);

        using var secondView = SharedMemoryRing.Attach(ring.Name);
        using var second = secondView.CreateReader<long>(0);
        for (; next < 1500; next++)
        {
            Assert.True(writer.TryWrite(next));
            Assert.True((next % 2 == 0 ? second : other).TryRead(out var item));
            (next % 2 == 0 ? bySecond : byOther).Add(item);
        }
        writer.ReleaseWriter();
        Assert.False(second.TryRead(out _));
        Assert.False(other.TryRead(out _));
        Assert.True(second.Completion.IsCompletedSuccessfully);
        Assert.True(other.Completion.IsCompletedSuccessfully);

        Assert.Equal(Enumerable.Range(0, 250).Select(i => 2L * i), byFirst);
        Assert.Equal(Enumerable.Range(500, 250).Select(i => 2L * i), bySecond);
        Assert.Equal(
            Enumerable.Range(0, 1500).Where(i => i != 500).Select(i => (long)i),
            byFirst.Concat(bySecond).Concat(byOther).Order());
    }

    [Fact]
    public void AReattachedCompetingSlotStartsWithoutAClaim()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        using var writer = ring.CreateWriter<int>();
        ring.CreateReader<int>(0).Detach();
        // A claim mark the slot's previous reader left behind (it lost the race for a record).
        LeaveClaimMark(ring, slot: 0, position: 0);
        using var reattached = ring.CreateReader<int>(0);
        Assert.Equal(-1L, Volatile.Read(ref *ring.SlotClaimed(0)));
    }

    /// <summary>Writes a claim mark into a reader slot, as a reader that lost the race for the record at <paramref name="position"/> did.</summary>
    internal static void LeaveClaimMark(SharedMemoryRing ring, int slot, long position) => Volatile.Write(ref *ring.SlotClaimed(slot), position);
}

/// <summary>Re-attaching a competing slot while a reader process died holding a claimed record.</summary>
[Collection(PeerProcessCollection.Name)]
public sealed class CompetingReattachCrossProcessTests
{
    [Fact]
    public async Task AReattachedIdleSlotDoesNotKeepADeadReadersRecordFromBeingFreed()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 3);
        using var writer = ring.CreateWriter<int>();
        Assert.True(writer.TryWrite(-1));

        // Slot 0's first reader lost the race for record 0 (its claim mark stayed at 0) and was
        // handed back for a restart.
        ring.CreateReader<int>(0).Detach();
        CompetingReattachTests.LeaveClaimMark(ring, slot: 0, position: 0);
        // A reader process on slot 1 claims record 0 and holds it.
        using var holder = PeerProcess.Start("hold-claim", ring.Name, "1");
        holder.WaitForLine("ready", RingTestSupport.Generous);
        // The restarted reader of slot 0 attaches and stays idle; slot 2 does the work.
        using var restartedView = SharedMemoryRing.Attach(ring.Name);
        using var restarted = restartedView.CreateReader<int>(0);
        using var live = ring.CreateReader<int>(2);

        const int count = 3000;
        var (producer, consumer) = RingTestSupport.Pump(writer, live, count);
        await Task.Delay(300);
        Assert.False(producer.IsCompleted, "the held record should block the writer once the ring is full");
        holder.Kill();
        // The dead reader's record is freed (it is lost): the idle restarted slot must not count as its claimer.
        await producer.WaitAsync(RingTestSupport.Generous);
        var received = await consumer.WaitAsync(RingTestSupport.Generous);
        Assert.Equal(Enumerable.Range(0, count), received);
    }
}
