using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.SharedMemory.RingTestShared;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// A raw reader end and its slot: opening (once), acquire/release misuse, hand-back and close,
/// the tail skip at the wrap, the checks a waiting reader makes at each park slice, and the
/// space signals its releases owe a parked writer.
/// </summary>
public sealed class RingReaderSlotTests
{
    [Fact]
    public unsafe void ASlotOpensOnceAndASecondOpenNamesItsState()
    {
        using var ring = RingTestSupport.Create();
        using var reader = ring.OpenReader(0);
        var error = Assert.Throws<InvalidOperationException>(() => ring.OpenReader(0));
        Assert.Equal($"Reader slot 0 of ring '{ring.Name}' is attached, not pending; each slot can be opened once.", error.Message);
        Assert.Equal(SlotState.Attached, StateOf(ring, 0));
    }

    [Fact]
    public unsafe void AnOpenThatFindsTheRingCorruptHandsTheSlotBack()
    {
        using var ring = RingTestSupport.Create();
        Volatile.Write(ref *ring.DataWaiters, -1);
        var error = Assert.Throws<BufferCorruptedException>(() => ring.OpenReader(0));
        Assert.Equal($"Ring '{ring.Name}': data waiter count -1 is negative.", error.Message);
        Assert.Equal(SlotState.Pending, StateOf(ring, 0));
        Volatile.Write(ref *ring.DataWaiters, 0);
        using var reader = ring.OpenReader(0);
        Assert.Equal(SlotState.Attached, StateOf(ring, 0));
    }

    [Fact]
    public unsafe void HasAcquiredHoldsOnlyBetweenAcquireAndRelease()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.False(reader.HasAcquired);
        Write(writer, 3);
        Assert.True(reader.TryAcquire(out _)); // the record at position 0
        Assert.True(reader.HasAcquired);
        reader.Release();
        Assert.False(reader.HasAcquired);
    }

    [Fact]
    public unsafe void AcquiringTwiceOrReleasingNothingIsRefused()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        var error = Assert.Throws<InvalidOperationException>(reader.Release);
        Assert.Equal("Release needs an acquired message; call TryAcquire first.", error.Message);
        Write(writer, 3);
        Write(writer, 4);
        Assert.True(reader.TryAcquire(out _));
        error = Assert.Throws<InvalidOperationException>(() => reader.TryAcquire(out _));
        Assert.Equal("The previous message is still acquired; Release it first.", error.Message);
        reader.Release();
        Assert.Equal(4, ReadOne(reader));
    }

    [Fact]
    public unsafe void ADetachedReaderReleasesItsHeldMessageAndTheReopenedSlotReadsOn()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        var first = ring.OpenReader(0);
        Write(writer, 3);
        Write(writer, 5);
        Assert.True(first.TryAcquire(out var held)); // at position 0
        Assert.Equal(3, held.Length);
        first.Detach();
        Assert.Equal(SlotState.Pending, StateOf(ring, 0));
        Assert.Equal(24L, SlotCursor(ring, 0));
        using var second = ring.OpenReader(0);
        Assert.Equal(5, ReadOne(second));
    }

    [Fact]
    public unsafe void ASecondDetachOrADisposeAfterDetachLeavesTheReopenedSlotAlone()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        var first = ring.OpenReader(0);
        first.Detach();
        using var second = ring.OpenReader(0);
        first.Detach();
        Assert.Equal(SlotState.Attached, StateOf(ring, 0));
        first.Dispose();
        Assert.Equal(SlotState.Attached, StateOf(ring, 0));
        Write(writer, 6);
        Assert.Equal(6, ReadOne(second));
    }

    [Fact]
    public unsafe void ADetachedEndIsNoLongerDisposedWithTheRing()
    {
        using var ring = RingTestSupport.Create(mode: BufferMode.Broadcast, readers: 2);
        var raw = ring.OpenReader(0);
        var channel = ring.CreateReader<int>(1);
        Assert.Equal(2, TrackedEnds(ring));
        raw.Detach();
        Assert.Equal(1, TrackedEnds(ring));
        channel.Detach();
        Assert.Equal(0, TrackedEnds(ring));
    }

    [Fact]
    public unsafe void DisposeAndDetachFenceThePendingReleaseAndSignalAParkedWriter()
    {
        using var ring = RingTestSupport.Create(mode: BufferMode.Broadcast, readers: 2);
        using var writer = ring.OpenWriter();
        var detached = ring.OpenReader(0);
        var disposed = ring.OpenReader(1);
        Write(writer, 8);
        ReadOne(detached); // 24 bytes of 4096: no fence yet, and no writer was parked
        ReadOne(disposed);
        FakeParkedWriter(ring, true);
        try
        {
            var before = SpaceSequence(ring);
            detached.Detach();
            Assert.Equal(before + 1, SpaceSequence(ring)); // the pending release wakes it; the slot handed back finds it woken
            FakeParkedWriter(ring, true); // it parks again
            disposed.Dispose();
            Assert.Equal(before + 2, SpaceSequence(ring));
        }
        finally
        {
            FakeParkedWriter(ring, false);
        }
    }

    [Fact]
    public unsafe void AWaitFencesThePendingReleaseFirst()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Write(writer, 8);
        Write(writer, 8);
        ReadOne(reader);
        FakeParkedWriter(ring, true);
        try
        {
            var before = SpaceSequence(ring);
            Assert.True(reader.WaitToRead()); // the second message is there: no wait, but the release is published
            Assert.Equal(before + 1, SpaceSequence(ring));
        }
        finally
        {
            FakeParkedWriter(ring, false);
        }
    }

    [Fact]
    public unsafe void AnAcquireThatFindsNothingFencesThePendingReleaseOnce()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Write(writer, 8);
        ReadOne(reader);
        FakeParkedWriter(ring, true);
        try
        {
            var before = SpaceSequence(ring);
            Assert.False(reader.TryAcquire(out _));
            Assert.Equal(before + 1, SpaceSequence(ring));
            Assert.False(reader.TryAcquire(out _));
            Assert.Equal(before + 1, SpaceSequence(ring));
        }
        finally
        {
            FakeParkedWriter(ring, false);
        }
    }

    [Fact]
    public async Task AnAsyncWaitReusesOneNamedWaiterThreadThatStopsOnDispose()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        var reader = ring.OpenReader();
        var first = reader.WaitToReadAsync();
        var waiter = Waiter(reader);
        var thread = WaiterThread(reader);
        Assert.NotNull(thread);
        Assert.Equal("puma-ring-reader-wait", thread.Name);
        Write(writer, 1);
        Assert.True(await first.AsTask().WaitAsync(RingTestSupport.Generous));
        ReadOne(reader);
        var second = reader.WaitToReadAsync();
        Assert.Same(waiter, Waiter(reader));
        Write(writer, 1);
        Assert.True(await second.AsTask().WaitAsync(RingTestSupport.Generous));
        reader.Dispose();
        Assert.False(thread.IsAlive);
    }

    [Fact]
    public async Task DetachStopsTheWaiterThread()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        var reader = ring.OpenReader();
        var wait = reader.WaitToReadAsync();
        var thread = WaiterThread(reader);
        Assert.NotNull(thread);
        Write(writer, 1);
        Assert.True(await wait.AsTask().WaitAsync(RingTestSupport.Generous));
        reader.Detach();
        Assert.False(thread.IsAlive);
    }

    [Fact]
    public async Task AnAsyncWaitOnARingCompletedWithAnErrorFailsAtOnceWithoutAWaiterThread()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryComplete(new InvalidOperationException("gone")));
        var wait = reader.WaitToReadAsync();
        Assert.True(wait.IsFaulted);
        Assert.Null(Waiter(reader));
        var error = await Assert.ThrowsAsync<RemoteBufferException>(() => wait.AsTask());
        Assert.Equal("gone", error.Message);
        Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteType);
    }

    [Fact]
    public unsafe void AReaderSkipsATailShorterThanARecordHeaderWhetherWaitingOrAcquiring()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        foreach (var length in new[] { 48, 48, 48, 40 })
        {
            Write(writer, length);
            Assert.Equal(length, ReadOne(reader));
        }
        Assert.Equal(248L, SlotCursor(ring, 0));
        Write(writer, 8); // 8 bytes remain before the end: the record starts the next lap
        writer.ReleaseWriter();
        Assert.True(reader.WaitToRead()); // completed, but not drained
        Assert.True(reader.TryAcquire(out var message));
        Assert.Equal(8, message.Length);
        Assert.Equal(256L, SlotCursor(ring, 0)); // past the tail while the message is held
        reader.Release();
        Assert.Equal(256L + 24, SlotCursor(ring, 0));
        Assert.False(reader.WaitToRead());
    }

    [Fact]
    public unsafe void APaddingRecordWithAnImpossibleLengthIsLeftForTheAcquireToReport()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Write(writer, 8);
        *(int*)(ring.Data + RingLayout.RecordKindOffset) = RingLayout.KindPadding;
        *(int*)(ring.Data + RingLayout.RecordLengthOffset) = 100_000;
        writer.ReleaseWriter();
        Assert.True(reader.WaitToRead()); // not "completed and drained"
        var error = Assert.Throws<BufferCorruptedException>(() => reader.TryAcquire(out _));
        Assert.Equal($"Ring '{ring.Name}': record length 100000 at position 0 is outside 0..1008 (the bytes left before the end of the ring or the largest message).", error.Message);
    }

    [Fact]
    public unsafe void AMessageAfterFourPaddingRecordsKeepsACompletedRingUndrained()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(writer.TryClaim(0, out _));
            writer.Abort(); // a padding record
        }
        Write(writer, 5);
        writer.ReleaseWriter();
        Assert.True(reader.WaitToRead());
        Assert.Equal(5, ReadOne(reader));
        Assert.False(reader.WaitToRead());
    }

    [Fact]
    public unsafe void AWakeUpOnAnOpenEmptyRingIsSpuriousUnlessAWriterDied()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.OpenReader();
        Assert.True(reader.ReadyResult()); // the caller tries to acquire and waits again
        var table = (int*)(ring.Base + RingLayout.WriterTableOffset);
        Assert.Equal(Environment.ProcessId, table[0]);
        Assert.Equal(1, table[1]);
        table[0] = DeadPid;
        try
        {
            var error = Assert.Throws<PeerProcessDiedException>(() => reader.ReadyResult());
            Assert.Equal($"Writer process {DeadPid} of ring '{ring.Name}' died holding 1 writer reference(s) without completing the ring.", error.Message);
            Assert.Equal(DeadPid, error.ProcessId);
        }
        finally
        {
            table[0] = Environment.ProcessId;
        }
    }

    [Fact]
    public unsafe void ADisposedReaderSkipsTheSliceChecks()
    {
        using var ring = RingTestSupport.Create();
        var reader = ring.OpenReader();
        reader.Dispose();
        Assert.Equal(SlotState.Closed, StateOf(ring, 0));
        ((IRingWaitCondition)reader).CheckSlice(); // the slot is closed, as this end left it: nothing to report
    }

    [Fact]
    public unsafe void ASliceReportsAnOwnSlotThatNoLongerSaysAttached()
    {
        using var ring = RingTestSupport.Create();
        using var reader = ring.OpenReader();
        Volatile.Write(ref *ring.SlotStateWord(0), SlotState.Closed);
        try
        {
            var error = Assert.Throws<BufferCorruptedException>(((IRingWaitCondition)reader).CheckSlice);
            Assert.Equal($"Ring '{ring.Name}': reader slot 0 state is closed, though this reader holds it open (attached).", error.Message);
        }
        finally
        {
            Volatile.Write(ref *ring.SlotStateWord(0), SlotState.Attached);
        }
    }

    [Fact]
    public unsafe void ASliceReportsAnOwnSlotOfAnotherProcess()
    {
        using var ring = RingTestSupport.Create();
        using var reader = ring.OpenReader();
        Volatile.Write(ref *ring.SlotPid(0), 12345);
        try
        {
            var error = Assert.Throws<BufferCorruptedException>(((IRingWaitCondition)reader).CheckSlice);
            Assert.Equal($"Ring '{ring.Name}': reader slot 0 pid 12345 is not this reader's process {Environment.ProcessId}.", error.Message);
        }
        finally
        {
            Volatile.Write(ref *ring.SlotPid(0), Environment.ProcessId);
        }
    }

    [Fact]
    public unsafe void ASliceReportsAnOwnSlotCursorMovedByAnotherProcess()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        for (var i = 0; i < 3; i++) Write(writer, 8);
        ((IRingWaitCondition)reader).CheckSlice();
        Volatile.Write(ref *ring.SlotCursor(0), 24); // a record boundary below the reserve cursor: only this end knows it is wrong
        try
        {
            var error = Assert.Throws<BufferCorruptedException>(((IRingWaitCondition)reader).CheckSlice);
            Assert.Equal($"Ring '{ring.Name}': reader 0 cursor 24 is not this reader's position 0.", error.Message);
        }
        finally
        {
            Volatile.Write(ref *ring.SlotCursor(0), 0);
        }
    }

    [Fact]
    public unsafe void ASliceReportsALastingWrongTagAtTheReadersPosition()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        for (var i = 0; i < 3; i++) Write(writer, 8);
        Volatile.Write(ref *(long*)ring.Data, 12345);
        var slices = (IRingWaitCondition)reader;
        slices.CheckSlice(); // a first sighting may be a writer's instant
        Thread.Sleep(SharedMemoryRing.StuckLimit + TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<BufferCorruptedException>(slices.CheckSlice);
        Assert.StartsWith($"Ring '{ring.Name}': reader 0's position 0 is below the reserve cursor 72, but the record tag there is 12345, neither 1 (published)", error.Message);
    }
}
