using System.Diagnostics;
using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.SharedMemory.RingTestShared;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// The exact reports of impossible shared values (attach validates every shared word), of a bad
/// header and bad options, of the writer table, and of the stuck-state watches (driven directly,
/// with the watch's first sighting moved back past the stuck limit instead of sleeping).
/// </summary>
public sealed unsafe class RingValidationTests
{
    private const int DeadPid = int.MaxValue - 5; // above any pid_max

    [Fact]
    public void ANegativeSpaceWaiterCountFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.SpaceSignalOffset + 4, -3);
        AssertAttachFails(ring, "space waiter count -3 is negative");
    }

    [Fact]
    public void MoreReleasedThanTakenWriterReferencesFailAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        WriteInt(ring, RingLayout.WritersRemainingOffset, 1);
        AssertAttachFails(ring, "writers remaining 1 means 1 of 2 writer reference(s) were released, but only 0 were ever taken");
    }

    [Theory]
    [InlineData(-7, 0)]
    [InlineData(0, 1)]
    public void AWriterTableEntryWithoutAPidFailsAttach(int pid, int references)
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.WriterTableOffset + 3 * RingLayout.WriterTableEntryBytes, pid);
        WriteInt(ring, RingLayout.WriterTableOffset + 3 * RingLayout.WriterTableEntryBytes + 4, references);
        AssertAttachFails(ring, $"writer table entry 3 pid {pid} is not a process id (holding {references} writer reference(s))");
    }

    [Fact]
    public void AnUndefinedSlotStateFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.SlotOffset(0) + RingLayout.SlotStateOffset, 9);
        AssertAttachFails(ring, $"reader slot 0 state 9 is not one of {SlotState.Names}");
    }

    [Theory]
    [InlineData(SlotState.Pending, -1, "pending")]
    [InlineData(SlotState.Attached, -1, "attached")]
    [InlineData(SlotState.Attached, 0, "attached")]
    [InlineData(SlotState.Closed, -1, "closed")]
    [InlineData(SlotState.Dead, -1, "dead")]
    [InlineData(SlotState.Attaching, -1, "attaching")]
    public void ASlotPidThatIsNoPidFailsAttachNamingTheSlotState(int state, int pid, string name)
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.SlotOffset(0) + RingLayout.SlotStateOffset, state);
        WriteInt(ring, RingLayout.SlotOffset(0) + RingLayout.SlotPidOffset, pid);
        AssertAttachFails(ring, $"reader slot 0 pid {pid} is not the process id of a reader ({name})");
    }

    [Fact]
    public void AnUndefinedSlotStateIsNamedWithItsValue() => Assert.Equal("unknown(9)", SlotState.Name(9));

    [Fact]
    public void AParkedFlagOutsideZeroToOneFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.SlotOffset(0) + RingLayout.SlotParkedOffset, 2);
        AssertAttachFails(ring, "reader slot 0 parked flag 2 is outside 0..1");
    }

    [Theory]
    [InlineData(-2L)]
    [InlineData(8L)]
    public void AClaimedPositionOutsideMinusOneToTheReserveCursorFailsAttach(long claimed)
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.SlotOffset(0) + RingLayout.SlotClaimedOffset, claimed);
        AssertAttachFails(ring, $"reader slot 0 claimed position {claimed} is outside -1..0 (the reserve cursor)");
    }

    [Fact]
    public void AnUnalignedReserveCursorFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 12);
        AssertAttachFails(ring, "reserve cursor 12 is negative or not a multiple of 8");
    }

    [Fact]
    public void ACompetingReleaseCursorAheadOfTheClaimCursorFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 64);
        WriteLong(ring, RingLayout.ClaimCursorOffset, 8);
        WriteLong(ring, RingLayout.ReleaseCursorOffset, 16);
        AssertAttachFails(ring, "competing release cursor 16 is ahead of the claim cursor 8");
    }

    [Fact]
    public void ACompetingClaimCursorPastTheReserveCursorFailsAttachNamingIt()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        WriteLong(ring, RingLayout.ClaimCursorOffset, 1L << 40);
        AssertAttachFails(ring, $"competing claim cursor {1L << 40} is outside 0..0 (the reserve cursor 0, or the next lap after a tail shorter than a record header)");
    }

    [Fact]
    public void ACompetingReleaseCursorMoreThanTheCapacityBehindFailsAttachNamingTheReleaseCursor()
    {
        // The claim cursor is as far behind, but only the release cursor bounds what writers may
        // overwrite: it is the one reported.
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 4096);
        AssertAttachFails(ring, "reserve cursor 4096 is 4096 bytes ahead of the competing release cursor 0, more than the capacity 1024");
    }

    [Fact]
    public void AReaderPastTheReserveCursorIsNotCorruptWhileTheWriterIsBetweenPublishingARecordAndMovingTheCursor()
    {
        // The ring's only writer published the record at 0 (80 bytes) and a reader took it; the writer was descheduled
        // before it moved the reserve cursor past it, and moves it 300 ms later.
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.SlotOffset(0) + RingLayout.SlotCursorOffset, 80);
        AssertAttachWaitsForTheWriterToMoveTheReserveCursorTo(ring, 80);
    }

    [Fact]
    public void ACompetingReaderHoldingARecordPastTheReserveCursorIsNotCorruptWhileTheWriterPublishesItsBatch()
    {
        // The only writer published a batch (its head at 0) and a competing reader claimed its second record (at 80)
        // before the writer moved the reserve cursor past the batch, 300 ms later.
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        WriteLong(ring, RingLayout.SlotOffset(1) + RingLayout.SlotClaimedOffset, 80);
        WriteLong(ring, RingLayout.ClaimCursorOffset, 160);
        AssertAttachWaitsForTheWriterToMoveTheReserveCursorTo(ring, 160);
    }

    [Fact]
    public void AReaderParkedPastTheReserveCursorWaitsForTheWriterInsteadOfReportingCorruption()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        writer.Claim(64).Fill(1);
        writer.Commit();
        WriteLong(ring, RingLayout.ReserveCursorOffset, 0); // as if the writer had published the record but not yet moved the cursor
        Assert.True(reader.TryAcquire(out _));
        reader.Release(); // the reader is at 80, past the reserve cursor, and parks: its park slices (250 ms) validate the ring
        bool? waited = null;
        Exception? failed = null;
        var waiting = new Thread(() =>
        {
            try { waited = reader.WaitToRead(); }
            catch (Exception e) { failed = e; }
        });
        waiting.Start();
        Thread.Sleep(400);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 80); // the writer moves it at last
        Thread.Sleep(300);
        Assert.True(waiting.IsAlive, $"the wait ended before a record came: {failed}");

        writer.Claim(64).Fill(2);
        writer.Commit();

        Assert.True(waiting.Join(TimeSpan.FromSeconds(10)), "the wait did not end when the record came");
        Assert.Null(failed);
        Assert.True(waited);
    }

    [Fact]
    public void AReaderPastTheReserveCursorForLongerThanTheStuckLimitFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.SlotOffset(0) + RingLayout.SlotCursorOffset, 80);
        var clock = Stopwatch.StartNew();

        AssertAttachFails(ring, "reader 0 cursor 80 is outside 0..0 (the reserve cursor 0, or the next lap after a tail shorter than a record header)");
        Assert.True(clock.Elapsed >= SharedMemoryRing.StuckLimit, $"reported after {clock.Elapsed}, within the stuck limit");
    }

    [Fact]
    public void AnUnalignedReaderCursorFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 16);
        WriteLong(ring, RingLayout.SlotOffset(0) + RingLayout.SlotCursorOffset, 12);
        AssertAttachFails(ring, "reader 0 cursor 12 is not a multiple of 8 (records are 8-byte aligned)");
    }

    [Fact]
    public void ALiveReaderMoreThanTheCapacityBehindFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 3072);
        WriteLong(ring, RingLayout.SlotOffset(0) + RingLayout.SlotCursorOffset, 1024);
        AssertAttachFails(ring, "reserve cursor 3072 is 2048 bytes ahead of the reader 0 cursor 1024, more than the capacity 1024");
    }

    [Fact]
    public void AClosedReaderMayLagAnyDistance()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Broadcast, readers: 2);
        Assert.True(ring.CloseSlot(1));
        WriteLong(ring, RingLayout.ReserveCursorOffset, 8192);
        WriteLong(ring, RingLayout.SlotOffset(0) + RingLayout.SlotCursorOffset, 8192);
        using var attached = SharedMemoryRing.Attach(ring.Name);
        Assert.Equal(BufferMode.Broadcast, attached.Mode);
    }

    [Fact]
    public void AWriterReferenceCountOutsideItsRangeFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        WriteInt(ring, RingLayout.WriterReferencesOffset, 0);
        AssertAttachFails(ring, $"writer reference count 0 is outside 1..{RingLayout.MaxWriterReferences}");
    }

    [Fact]
    public void ADataOffsetThatIsNotTheSlotsOffsetFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        WriteInt(ring, RingLayout.DataOffsetOffset, 4096);
        AssertAttachFails(ring, $"data offset 4096 is not {RingLayout.DataOffset(1)}, the offset for 1 reader slot(s)");
    }

    [Fact]
    public void ACapacityLargerThanTheSegmentFailsAttachNamingTheSegmentsRoom()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        WriteLong(ring, RingLayout.CapacityOffset, 8192); // the segment is the data offset and 4096 bytes long
        AssertAttachFails(ring, "capacity 8192 is outside 256..4096 (the segment's size after the header) or not a multiple of 8");
    }

    [Fact]
    public void AnUndefinedModeIsRejectedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SharedMemoryRing.Create(new SharedMemoryRingOptions { Mode = (BufferMode)7 }));
        Assert.StartsWith("Mode 7 is not a BufferMode.", error.Message);
        Assert.Equal("options", error.ParamName);
    }

    [Theory]
    [InlineData(BufferMode.Broadcast, 0, 1, "Readers 0 is outside 1..256.")]
    [InlineData(BufferMode.Competing, 257, 1, "Readers 257 is outside 1..256.")]
    [InlineData(BufferMode.ManyToOne, 2, 1, "Readers 2 must be 1 for BufferMode.ManyToOne; use Broadcast or Competing for several readers.")]
    [InlineData(BufferMode.ManyToOne, 1, 0, "Writers 0 is outside 1..1048576.")]
    public void BadReaderAndWriterCountsAreRejectedWithTheirLimits(BufferMode mode, int readers, int writers, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Mode = mode, Readers = readers, Writers = writers }));
        Assert.StartsWith(message, error.Message);
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void ADeadWriterThatReleasedItsReferencesIsNotReported()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        WriteInt(ring, RingLayout.WriterTableOffset, DeadPid);
        WriteInt(ring, RingLayout.WriterTableOffset + 4, 0);
        ring.CheckWritersAlive();
    }

    [Fact]
    public void ADeadWriterHoldingReferencesIsReportedWithItsPidAndCount()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 3);
        WriteInt(ring, RingLayout.WriterTableOffset + RingLayout.WriterTableEntryBytes, DeadPid);
        WriteInt(ring, RingLayout.WriterTableOffset + RingLayout.WriterTableEntryBytes + 4, 2);
        var error = Assert.Throws<PeerProcessDiedException>(ring.CheckWritersAlive);
        Assert.Equal($"Writer process {DeadPid} of ring '{ring.Name}' died holding 2 writer reference(s) without completing the ring.", error.Message);
        Assert.Equal(DeadPid, error.ProcessId);
    }

    [Fact]
    public void OnlyTheWriterTableIsTakenForWriterPids()
    {
        // The error area follows the table: a completion error there is no writer entry.
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.ErrorAreaOffset, DeadPid);
        WriteInt(ring, RingLayout.ErrorAreaOffset + 4, 1);
        ring.CheckWritersAlive();
    }

    [Fact]
    public void TakingAReferenceWithACorruptTakenCountTakesNothing()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.WritersClaimedOffset, 5);
        var error = Assert.Throws<BufferCorruptedException>(ring.AcquireWriterReference);
        Assert.Equal($"Ring '{ring.Name}': writers taken 5 is outside 0..1 (the ring's writer references).", error.Message);
        Assert.Equal(5, ReadInt(ring, RingLayout.WritersClaimedOffset));
        Assert.Equal(0, ReadInt(ring, RingLayout.WriterTableOffset));
        Assert.Equal(0, ReadInt(ring, RingLayout.WriterTableOffset + 4));
    }

    [Fact]
    public void TakingMoreReferencesThanTheRingHasNamesTheCount()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 1);
        using var writer = ring.OpenWriter();
        var error = Assert.Throws<InvalidOperationException>(ring.OpenWriter);
        Assert.Equal($"Ring '{ring.Name}' was created with 1 writer reference(s) and all are taken; create it with a larger Writers.", error.Message);
    }

    [Fact]
    public void AWriterTakesAFreeTableEntryNotAnotherPidsEntry()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        WriteInt(ring, RingLayout.WriterTableOffset, DeadPid);
        WriteInt(ring, RingLayout.WriterTableOffset + 4, 1);
        WriteInt(ring, RingLayout.WritersClaimedOffset, 1);
        using var writer = ring.OpenWriter();
        Assert.Equal(DeadPid, ReadInt(ring, RingLayout.WriterTableOffset));
        Assert.Equal(1, ReadInt(ring, RingLayout.WriterTableOffset + 4));
        Assert.Equal(Environment.ProcessId, ReadInt(ring, RingLayout.WriterTableOffset + RingLayout.WriterTableEntryBytes));
        Assert.Equal(1, ReadInt(ring, RingLayout.WriterTableOffset + RingLayout.WriterTableEntryBytes + 4));
        Assert.Equal(2, ReadInt(ring, RingLayout.WritersClaimedOffset));
    }

    [Fact]
    public void AWriterBeyondThirtyTwoPidsIsRefusedAndTakesNothing()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 64);
        for (var i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            WriteInt(ring, RingLayout.WriterTableOffset + i * RingLayout.WriterTableEntryBytes, 100_000 + i);
            WriteInt(ring, RingLayout.WriterTableOffset + i * RingLayout.WriterTableEntryBytes + 4, 1);
        }
        WriteInt(ring, RingLayout.WritersClaimedOffset, 32);
        var error = Assert.Throws<InvalidOperationException>(ring.OpenWriter);
        Assert.Equal($"Ring '{ring.Name}' already has writers in 32 processes, the limit.", error.Message);
        Assert.Equal(32, ReadInt(ring, RingLayout.WritersClaimedOffset));
    }

    // --- the record watch (CheckRecordAt) ---

    [Fact]
    public void AWrongTagIsReportedOnlyOnceTheSameOneLastedTheStuckLimit()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 128);
        WriteDataLong(ring, 64, 12345);
        var watch = default(StuckWatch);
        ring.CheckRecordAt(64, "the slowest reader's position", ref watch); // a first sighting may be a claim's first instant
        Assert.Equal(64, watch.Position);
        Assert.Equal(12345, watch.Tag);
        Assert.NotEqual(0, watch.RecordSince);
        ring.CheckRecordAt(64, "the slowest reader's position", ref watch); // seen again, but not for long
        Age(ref watch);
        var error = Assert.Throws<BufferCorruptedException>(() => ring.CheckRecordAt(64, "the slowest reader's position", ref watch));
        Assert.Equal($"Ring '{ring.Name}': the slowest reader's position 64 is below the reserve cursor 128, but the record tag there is 12345, neither 65 (published) " +
            "nor -65 (being written), for over 1 s: the data area or the reserve cursor is corrupt.", error.Message);
    }

    [Fact]
    public void AWrongTagThatChangesRestartsTheStuckClock()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 128);
        WriteDataLong(ring, 64, 12345);
        var watch = default(StuckWatch);
        ring.CheckRecordAt(64, "x", ref watch);
        Age(ref watch);
        WriteDataLong(ring, 64, 777);
        ring.CheckRecordAt(64, "x", ref watch);
        Assert.Equal(777, watch.Tag);
        Age(ref watch);
        var error = Assert.Throws<BufferCorruptedException>(() => ring.CheckRecordAt(64, "x", ref watch));
        Assert.Contains("x 64 is below the reserve cursor 128, but the record tag there is 777,", error.Message);
    }

    [Fact]
    public void AWrongTagAtAnotherPositionRestartsTheStuckClock()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 128);
        WriteDataLong(ring, 64, 12345);
        WriteDataLong(ring, 96, 12345);
        var watch = default(StuckWatch);
        ring.CheckRecordAt(64, "x", ref watch);
        Age(ref watch);
        ring.CheckRecordAt(96, "x", ref watch);
        Assert.Equal(96, watch.Position);
    }

    [Fact]
    public void AGoodTagInBetweenRestartsTheStuckClock()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 128);
        WriteDataLong(ring, 64, 12345);
        var watch = default(StuckWatch);
        ring.CheckRecordAt(64, "x", ref watch);
        Age(ref watch);
        WriteDataLong(ring, 64, RingLayout.Tag(64));
        ring.CheckRecordAt(64, "x", ref watch);
        Assert.Equal(0, watch.RecordSince);
        WriteDataLong(ring, 64, 12345);
        ring.CheckRecordAt(64, "x", ref watch); // a new first sighting
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PublishedAndReservedTagsAreNeverReported(bool reserved)
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 128);
        WriteDataLong(ring, 64, reserved ? RingLayout.ReservedTag(64) : RingLayout.Tag(64));
        var watch = default(StuckWatch);
        ring.CheckRecordAt(64, "x", ref watch);
        Assert.Equal(0, watch.RecordSince);
        Age(ref watch);
        ring.CheckRecordAt(64, "x", ref watch);
        Assert.Equal(0, watch.RecordSince);
    }

    [Fact]
    public void NothingAtOrPastTheReserveCursorIsReported()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 64);
        WriteDataLong(ring, 64, 12345); // an old lap's bytes: no record was written there yet
        var watch = default(StuckWatch);
        ring.CheckRecordAt(64, "x", ref watch);
        Age(ref watch);
        ring.CheckRecordAt(64, "x", ref watch);
        Assert.Equal(0, watch.RecordSince);
    }

    [Fact]
    public void APositionInATailShorterThanARecordHeaderIsCheckedAtTheNextLap()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 1024 + 64);
        WriteDataLong(ring, 1008, 12345);
        WriteDataLong(ring, 1016, 12345);
        WriteDataLong(ring, 0, RingLayout.Tag(1024));
        var watch = default(StuckWatch);
        ring.CheckRecordAt(1016, "x", ref watch);
        Age(ref watch);
        ring.CheckRecordAt(1016, "x", ref watch);
        Assert.Equal(0, watch.RecordSince);

        WriteDataLong(ring, 0, 12345);
        ring.CheckRecordAt(1016, "x", ref watch);
        Age(ref watch);
        var error = Assert.Throws<BufferCorruptedException>(() => ring.CheckRecordAt(1016, "x", ref watch));
        Assert.Contains("x 1024 is below the reserve cursor 1088, but the record tag there is 12345, neither 1025 (published)", error.Message);
    }

    [Fact]
    public void ATailOfExactlyARecordHeaderHoldsARecord()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteLong(ring, RingLayout.ReserveCursorOffset, 1024 + 64);
        WriteDataLong(ring, 1008, RingLayout.Tag(1008));
        WriteDataLong(ring, 0, 12345);
        var watch = default(StuckWatch);
        ring.CheckRecordAt(1008, "x", ref watch);
        Age(ref watch);
        ring.CheckRecordAt(1008, "x", ref watch);
        Assert.Equal(0, watch.RecordSince);
    }

    // --- the completion watch (CheckCompletionNotStuck) ---

    [Fact]
    public void ACompletionWithAnErrorIsReportedOnlyOnceItLastedTheStuckLimit()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        WriteInt(ring, RingLayout.StateOffset, RingState.CompletingWithError);
        var watch = default(StuckWatch);
        ring.CheckCompletionNotStuck(ref watch);
        Assert.NotEqual(0, watch.CompletingSince);
        ring.CheckCompletionNotStuck(ref watch);
        Age(ref watch);
        var error = Assert.Throws<BufferCorruptedException>(() => ring.CheckCompletionNotStuck(ref watch));
        Assert.Equal($"Ring '{ring.Name}': state has been 1 (completing with an error) for over 1 s, though writing the error takes microseconds: " +
            "the completing process died or the state word is corrupt.", error.Message);
        WriteInt(ring, RingLayout.StateOffset, RingState.Open);
    }

    [Fact]
    public void AnotherStateInBetweenRestartsTheCompletionClock()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        var watch = default(StuckWatch);
        ring.CheckCompletionNotStuck(ref watch);
        Assert.Equal(0, watch.CompletingSince);
        WriteInt(ring, RingLayout.StateOffset, RingState.CompletingWithError);
        ring.CheckCompletionNotStuck(ref watch);
        Age(ref watch);
        WriteInt(ring, RingLayout.StateOffset, RingState.Open);
        ring.CheckCompletionNotStuck(ref watch);
        Assert.Equal(0, watch.CompletingSince);
        Age(ref watch);
        WriteInt(ring, RingLayout.StateOffset, RingState.CompletingWithError);
        ring.CheckCompletionNotStuck(ref watch); // a new first sighting
        WriteInt(ring, RingLayout.StateOffset, RingState.Open);
    }

    /// <summary>Moves the watch's first sightings back by twice the stuck limit (as if that much time had passed).</summary>
    private static void Age(ref StuckWatch watch)
    {
        var ticks = (long)(SharedMemoryRing.StuckLimit.TotalSeconds * 2 * Stopwatch.Frequency);
        if (watch.RecordSince != 0) watch.RecordSince -= ticks;
        if (watch.CompletingSince != 0) watch.CompletingSince -= ticks;
    }

    /// <summary>Attach succeeds once "the writer" moves the reserve cursor to <paramref name="reserve"/>, 300 ms from now, and not before.</summary>
    private static void AssertAttachWaitsForTheWriterToMoveTheReserveCursorTo(SharedMemoryRing ring, long reserve)
    {
        var clock = Stopwatch.StartNew();
        using var writer = new Timer(_ => WriteLong(ring, RingLayout.ReserveCursorOffset, reserve), null, 300, Timeout.Infinite);

        using var attached = SharedMemoryRing.Attach(ring.Name);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"attach returned after {clock.Elapsed}, before the reserve cursor moved");
    }

    private static void AssertAttachFails(SharedMemoryRing ring, string what)
    {
        var error = Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(ring.Name));
        Assert.Equal($"Ring '{ring.Name}': {what}.", error.Message);
    }
}
