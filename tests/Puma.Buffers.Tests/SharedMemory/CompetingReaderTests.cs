using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.SharedMemory.RingTestShared;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Competing readers in one process: the claim mark each slot shows while it holds a record, the
/// shared claim and release cursors (tail skips, padding, the release frontier), corrupt records,
/// and what a writer's liveness check does with records claimed by dead readers.
/// </summary>
public sealed class CompetingReaderTests
{
    private static SharedMemoryRing Create(long capacity = 1024, int readers = 2) =>
        RingTestSupport.Create(capacity: capacity, mode: BufferMode.Competing, readers: readers);

    private static unsafe int KindAt(SharedMemoryRing ring, long position) => Volatile.Read(ref *(int*)(ring.Data + ring.Offset(position) + RingLayout.RecordKindOffset));

    [Fact]
    public unsafe void AHeldRecordIsMarkedOnItsSlotAndItsReleaseDropsTheMarkAndSignalsAParkedWriter()
    {
        using var ring = Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        Write(writer, 8);
        Write(writer, 8);
        Assert.Equal(-1L, SlotClaimed(ring, 0));
        Assert.Equal(8, ReadOne(reader));
        Assert.True(reader.TryAcquire(out _));
        Assert.Equal(24L, SlotClaimed(ring, 0));
        Assert.Equal(24L, Release(ring));
        FakeParkedWriter(ring, true);
        try
        {
            var before = SpaceSequence(ring);
            reader.Release();
            Assert.Equal(-1L, SlotClaimed(ring, 0));
            Assert.Equal(48L, Release(ring));
            Assert.Equal(before + 1, SpaceSequence(ring));
        }
        finally
        {
            FakeParkedWriter(ring, false);
        }
    }

    [Fact]
    public unsafe void ADisposedReaderReleasesTheRecordItHeld()
    {
        using var ring = Create();
        using var writer = ring.OpenWriter();
        using var other = ring.OpenReader(1);
        var reader = ring.OpenReader(0);
        Write(writer, 8);
        Assert.True(reader.TryAcquire(out _));
        Assert.Equal(0L, Release(ring));
        reader.Dispose();
        Assert.Equal(24L, Release(ring));
        Assert.Equal(24L, Claim(ring));
        Assert.Equal(SlotState.Closed, StateOf(ring, 0));
    }

    [Fact]
    public unsafe void AClaimSkipsATailShorterThanARecordHeaderAndTheReleaseFrontierFollows()
    {
        using var ring = Create(capacity: 256, readers: 1);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        foreach (var length in new[] { 48, 48, 48, 40 })
        {
            Write(writer, length);
            Assert.Equal(length, ReadOne(reader));
        }
        Assert.Equal(248L, Claim(ring));
        Assert.False(reader.TryAcquire(out _));
        Assert.Equal(256L, Claim(ring));
        Assert.Equal(256L, Release(ring));
        Write(writer, 8);
        Assert.Equal(8, ReadOne(reader));
    }

    [Fact]
    public unsafe void AClaimedPaddingRecordIsReleasedAtOnceWithoutAMark()
    {
        using var ring = Create(capacity: 256, readers: 1);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        for (var i = 0; i < 3; i++)
        {
            Write(writer, 48);
            Assert.Equal(48, ReadOne(reader));
        }
        Assert.True(writer.TryClaim(100, out var span)); // does not fit the 64-byte tail: a padding record fills it
        Assert.False(reader.TryAcquire(out _)); // takes the padding, finds the claim not committed yet
        Assert.Equal(-1L, SlotClaimed(ring, 0));
        Assert.Equal(256L, Claim(ring));
        Assert.Equal(256L, Release(ring));
        span.Clear();
        writer.Commit();
        Assert.Equal(100, ReadOne(reader));
    }

    [Theory]
    [InlineData(-8, RingLayout.KindData, "record length -8 at position 0 is outside 0..496 (the bytes left before the end of the ring or the largest message)")]
    [InlineData(1016, RingLayout.KindData, "record length 1016 at position 0 is outside 0..496 (the bytes left before the end of the ring or the largest message)")]
    [InlineData(8, 3, "record kind 3 at position 0 is neither data (1) nor padding (2)")]
    public unsafe void ACorruptRecordIsReportedAndNotClaimed(int length, int kind, string expected)
    {
        using var ring = Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        Write(writer, 8);
        *(int*)(ring.Data + RingLayout.RecordLengthOffset) = length;
        *(int*)(ring.Data + RingLayout.RecordKindOffset) = kind;
        var error = Assert.Throws<BufferCorruptedException>(() => reader.TryAcquire(out _));
        Assert.Equal($"Ring '{ring.Name}': {expected}.", error.Message);
        Assert.Equal(0L, Claim(ring));
        Assert.Equal(-1L, SlotClaimed(ring, 0));
    }

    [Fact]
    public async Task AReaderThatFindsNothingHoldsNoClaimMarkEvenAfterLosingARace()
    {
        // Whether a claim is lost depends on the scheduling: the more readers and messages, the more races.
        const int count = 40_000;
        using var ring = Create(capacity: 4096, readers: 3);
        using var writer = ring.OpenWriter();
        using var first = ring.OpenReader(0);
        using var second = ring.OpenReader(1);
        using var third = ring.OpenReader(2);
        var taken = 0;
        var marksLeft = 0;
        Task Consume(RingReader reader) => Task.Factory.StartNew(() =>
        {
            while (Volatile.Read(ref taken) < count)
            {
                if (reader.TryAcquire(out _))
                {
                    reader.Release();
                    Interlocked.Increment(ref taken);
                }
                else if (SlotClaimed(ring, reader.Slot) != -1)
                {
                    Interlocked.Increment(ref marksLeft);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var consumers = new[] { Consume(first), Consume(second), Consume(third) };
        for (var i = 0; i < count; i++)
        {
            Span<byte> span;
            while (!writer.TryClaim(8, out span)) Thread.SpinWait(20);
            span.Clear();
            writer.Commit();
        }
        await Task.WhenAll(consumers).WaitAsync(RingTestSupport.Generous);
        Assert.Equal(count, taken);
        Assert.Equal(0, marksLeft);
    }

    [Fact]
    public unsafe void ARecordHeldByADeadReaderIsFreedAndAParkedWriterWoken()
    {
        using var ring = Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var live = ring.OpenReader(0);
        using var dying = ring.OpenReader(1);
        foreach (var length in new[] { 48, 48, 48, 16, 0 })
        {
            Write(writer, length);
            Assert.Equal(length, ReadOne(live));
        }
        Write(writer, 0); // the last record of the lap: 240..256, a tail of exactly one record header
        Assert.True(dying.TryAcquire(out _));
        Assert.Equal(240L, SlotClaimed(ring, 1));
        ring.AdvanceReleaseCursor();
        Assert.Equal(240L, Release(ring)); // held: the frontier waits for it
        Volatile.Write(ref *ring.SlotPid(1), DeadPid);
        FakeParkedWriter(ring, true);
        try
        {
            var before = SpaceSequence(ring);
            ring.CheckReadersAlive();
            Assert.Equal(SlotState.Dead, StateOf(ring, 1));
            Assert.NotEqual(0, KindAt(ring, 240) & RingLayout.FlagReleased);
            Assert.Equal(256L, Release(ring));
            Assert.Equal(before + 1, SpaceSequence(ring));
        }
        finally
        {
            FakeParkedWriter(ring, false);
        }
    }

    [Fact]
    public unsafe void ARecordHeldByALiveReaderStaysClaimedWhateverADeadSlotsMarkSays()
    {
        using var ring = Create();
        using var writer = ring.OpenWriter();
        using var live = ring.OpenReader(0);
        Write(writer, 8);
        Assert.True(live.TryAcquire(out _));
        ring.CheckReadersAlive();
        Assert.Equal(0L, Release(ring));
        // Slot 1 as left by a reader that died after marking record 0 and before losing the claim to slot 0.
        Volatile.Write(ref *ring.SlotStateWord(1), SlotState.Dead);
        Volatile.Write(ref *ring.SlotClaimed(1), 0);
        ring.CheckReadersAlive();
        Assert.Equal(0L, Release(ring));
        Assert.Equal(RingLayout.KindData, KindAt(ring, 0));
        live.Release();
        Assert.Equal(24L, Release(ring));
    }

    [Fact]
    public unsafe void AnUnclaimedRecordIsNotFreedForADeadSlotsLeftoverMark()
    {
        using var ring = Create();
        using var writer = ring.OpenWriter();
        using var live = ring.OpenReader(0);
        Write(writer, 8);
        Volatile.Write(ref *ring.SlotStateWord(1), SlotState.Dead);
        Volatile.Write(ref *ring.SlotClaimed(1), 0);
        ring.CheckReadersAlive();
        Assert.Equal(RingLayout.KindData, KindAt(ring, 0));
        Assert.Equal(0L, Release(ring));
        Assert.Equal(8, ReadOne(live));
    }

    [Fact]
    public unsafe void AClaimedRecordThatNoSlotMarksIsNotFreed()
    {
        using var ring = Create(readers: 1);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        Write(writer, 8);
        Assert.True(reader.TryAcquire(out _));
        Volatile.Write(ref *ring.SlotClaimed(0), -1);
        ring.CheckReadersAlive();
        Assert.Equal(0L, Release(ring));
        Assert.Equal(RingLayout.KindData, KindAt(ring, 0));
    }

    [Fact]
    public unsafe void ACorruptRecordAtTheReleaseFrontierIsDescribedInFull()
    {
        using var ring = Create(capacity: 4096);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        Write(writer, 8);
        Assert.True(reader.TryAcquire(out _));
        Volatile.Write(ref *(long*)ring.Data, 12345);
        var error = Assert.Throws<BufferCorruptedException>(reader.Release);
        Assert.Equal($"Ring '{ring.Name}': the claimed record at the competing release cursor 0 has tag 12345 (expected 1), kind 1 (data 1 or padding 2) and length 8 (0..4080).", error.Message);
    }

    [Fact]
    public unsafe void TheSlowestCompetingPositionIsTheReleaseFrontierWhileASlotIsLive()
    {
        using var ring = Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        Write(writer, 8);
        ReadOne(reader);
        Assert.Equal(24L, ring.MinReaderPosition());
        reader.Dispose();
        Assert.Equal(24L, ring.MinReaderPosition()); // slot 1 is still pending
        Assert.True(ring.CloseSlot(1));
        Assert.Equal(-1L, ring.MinReaderPosition());
    }

    [Theory]
    [InlineData(BufferMode.Competing)]
    [InlineData(BufferMode.Broadcast)]
    public unsafe void AWriterLookingAtTheReadersRejectsAnUndefinedSlotState(BufferMode mode)
    {
        using var ring = RingTestSupport.Create(mode: mode, readers: 2);
        Assert.True(ring.CloseSlot(0));
        Assert.Equal(0L, ring.MinReaderPosition()); // slot 1 is pending
        Volatile.Write(ref *ring.SlotStateWord(1), 9);
        try
        {
            var error = Assert.Throws<BufferCorruptedException>(() => ring.MinReaderPosition());
            Assert.Equal($"Ring '{ring.Name}': reader slot 1 state 9 is not one of pending (0), attached (1), closed (2), dead (3), attaching (4).", error.Message);
        }
        finally
        {
            Volatile.Write(ref *ring.SlotStateWord(1), SlotState.Pending);
        }
        Assert.True(ring.CloseSlot(1));
        Assert.Equal(-1L, ring.MinReaderPosition());
    }

    [Fact]
    public unsafe void ABroadcastWriterWaitsForTheSlowestLiveSlot()
    {
        using var ring = RingTestSupport.Create(mode: BufferMode.Broadcast, readers: 3);
        using var writer = ring.OpenWriter();
        using var fast = ring.OpenReader(0);
        using var slow = ring.OpenReader(1);
        Write(writer, 8);
        Write(writer, 8);
        ReadOne(fast);
        ReadOne(fast);
        ReadOne(slow);
        Assert.Equal(0L, ring.MinReaderPosition()); // slot 2 is pending at 0
        Assert.True(ring.CloseSlot(2));
        Assert.Equal(24L, ring.MinReaderPosition());
    }

    [Fact]
    public unsafe void NoLiveReaderLeftNamesEverySlotAndNoPidForSeveral()
    {
        using var ring = RingTestSupport.Create(mode: BufferMode.Broadcast, readers: 2);
        ring.OpenReader(0).Dispose(); // closed, its pid stays
        using var dying = ring.OpenReader(1);
        Volatile.Write(ref *ring.SlotPid(1), DeadPid);
        var error = Assert.Throws<PeerProcessDiedException>(ring.CheckReadersAlive);
        Assert.Equal($"Ring '{ring.Name}' has no live reader left to make room (slot 0: closed (pid {Environment.ProcessId}), slot 1: dead (pid {DeadPid})).", error.Message);
        Assert.Equal(0, error.ProcessId);
    }

    [Fact]
    public unsafe void TheOnlyReaderDeadNamesItsPid()
    {
        using var ring = RingTestSupport.Create();
        using var dying = ring.OpenReader(0);
        Volatile.Write(ref *ring.SlotPid(0), DeadPid);
        var error = Assert.Throws<PeerProcessDiedException>(ring.CheckReadersAlive);
        Assert.Equal($"Ring '{ring.Name}' has no live reader left to make room (slot 0: dead (pid {DeadPid})).", error.Message);
        Assert.Equal(DeadPid, error.ProcessId);
    }

    [Fact]
    public unsafe void ClosingASlotChecksItsIndexAndSignalsAParkedWriterOnce()
    {
        using var ring = RingTestSupport.Create(mode: BufferMode.Broadcast, readers: 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ring.CloseSlot(2));
        Assert.StartsWith($"Reader slot 2 is outside 0..1 (ring '{ring.Name}' has 2 slot(s)).", error.Message);
        Assert.Equal("slot", error.ParamName);
        FakeParkedWriter(ring, true);
        try
        {
            var before = SpaceSequence(ring);
            Assert.True(ring.CloseSlot(1));
            Assert.Equal(before + 1, SpaceSequence(ring));
            Assert.False(ring.CloseSlot(1));
            Assert.Equal(before + 1, SpaceSequence(ring));
        }
        finally
        {
            FakeParkedWriter(ring, false);
        }
    }

    [Fact]
    public unsafe void ClosingASlotOfADisposedRingIsRefused()
    {
        var ring = RingTestSupport.Create();
        ring.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ring.CloseSlot(0));
    }

    [Fact]
    public unsafe void ASliceReportsALastingWrongTagAtTheCompetingClaimCursor()
    {
        using var ring = Create(capacity: 4096, readers: 1);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        for (var i = 0; i < 3; i++) Write(writer, 8);
        ReadOne(reader);
        Volatile.Write(ref *(long*)(ring.Data + 24), 12345);
        var slices = (IRingWaitCondition)reader;
        slices.CheckSlice();
        Thread.Sleep(SharedMemoryRing.StuckLimit + TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<BufferCorruptedException>(slices.CheckSlice);
        Assert.StartsWith($"Ring '{ring.Name}': the competing claim cursor 24 is below the reserve cursor 72, but the record tag there is 12345, neither 25 (published)", error.Message);
    }

    [Fact]
    public unsafe void ACompetingSlotsCursorIsUnusedAndNotChecked()
    {
        using var ring = Create(readers: 1);
        using var reader = ring.OpenReader(0);
        Volatile.Write(ref *ring.SlotCursor(0), 64);
        ((IRingWaitCondition)reader).CheckSlice();
    }
}
