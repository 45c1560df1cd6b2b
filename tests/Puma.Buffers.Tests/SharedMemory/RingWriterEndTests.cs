using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// The raw writer end's contract: misuse errors, what a pending claim becomes when the end
/// completes, releases or detaches, the records it leaves in the ring, its waits' results and its
/// slice checks (driven directly).
/// </summary>
public sealed unsafe class RingWriterEndTests
{
    [Fact]
    public void CommitAndAbortWithoutAClaimAreRefused()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        var error = Assert.Throws<InvalidOperationException>(writer.Commit);
        Assert.Equal("Commit or Abort needs a pending claim; call TryClaim or Claim first.", error.Message);
        error = Assert.Throws<InvalidOperationException>(writer.Abort);
        Assert.Equal("Commit or Abort needs a pending claim; call TryClaim or Claim first.", error.Message);
    }

    [Fact]
    public void ASecondClaimBeforeTheCommitIsRefused()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        Assert.True(writer.TryClaim(8, out _));
        var error = Assert.Throws<InvalidOperationException>(() => writer.TryClaim(8, out _));
        Assert.Equal("A claim is already pending; Commit or Abort it before claiming again.", error.Message);
        Assert.True(writer.HasClaim);
    }

    [Fact]
    public void AnAbortedClaimBecomesAPaddingRecordAndLeavesTheRecordBeforeItIntact()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryClaim(8, out var first));
        first.Fill(0x5A);
        writer.Commit();
        Assert.True(writer.TryClaim(30, out _));
        writer.Abort();
        var padding = ring.Data + 24;
        Assert.Equal(RingLayout.Tag(24), *(long*)padding);
        Assert.Equal(RingLayout.KindPadding, *(int*)(padding + RingLayout.RecordKindOffset));
        Assert.Equal(48 - 16, *(int*)(padding + RingLayout.RecordLengthOffset));
        Assert.True(reader.TryAcquire(out var message));
        Assert.Equal(Enumerable.Repeat((byte)0x5A, 8), message.ToArray());
        reader.Release();
        Assert.False(reader.TryAcquire(out _));
        Assert.Equal(72, Volatile.Read(ref *ring.SlotCursor(0)));
    }

    [Fact]
    public void AnOversizedMessageNamesTheCapacityItWouldNeed()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        var expected = $"Ring '{ring.Name}': an item of 5000 bytes exceeds the largest item of 496 bytes (half of capacityBytes 1024, minus a 16-byte record header); " +
            "give the buffer capacityBytes of at least 10032, or send smaller items.";
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryClaim(5000, out _));
        Assert.StartsWith(expected, error.Message);
        Assert.Equal(5000, error.ActualValue);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.WaitForSpace(5000));
        Assert.StartsWith(expected, error.Message);
        Assert.False(writer.HasClaim);
    }

    [Fact]
    public void ClaimOnACompletedRingThrowsChannelClosed()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        using var writer = ring.OpenWriter();
        using var other = ring.OpenWriter();
        Assert.True(other.TryComplete());
        Assert.False(writer.TryClaim(8, out _));
        Assert.False(writer.HasClaim);
        var error = Assert.Throws<ChannelClosedException>(() => writer.Claim(8));
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void ClaimOnARingCompletedWithAnErrorCarriesTheError()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        using var writer = ring.OpenWriter();
        using var other = ring.OpenWriter();
        Assert.True(other.TryComplete(new InvalidOperationException("boom")));
        var error = Assert.Throws<ChannelClosedException>(() => writer.Claim(8));
        var remote = Assert.IsType<RemoteBufferException>(error.InnerException);
        Assert.Equal("boom", remote.Message);
        Assert.Equal(typeof(InvalidOperationException).FullName, remote.RemoteType);
    }

    [Fact]
    public void TryCompleteOnADisposedEndThrows()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        var writer = ring.OpenWriter();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.TryComplete());
    }

    public enum Ending
    {
        TryComplete,
        ReleaseWriter,
        Detach,
    }

    [Theory]
    [InlineData(Ending.TryComplete)]
    [InlineData(Ending.ReleaseWriter)]
    [InlineData(Ending.Detach)]
    public void EndingTheWriterAbortsItsPendingClaim(Ending ending)
    {
        // With several writer references a claim holds its reserved tag: unless it is aborted,
        // readers would wait on it for ever.
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        var writer = ring.OpenWriter();
        using var other = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryClaim(8, out _));
        Assert.Equal(RingLayout.ReservedTag(0), *(long*)ring.Data);
        switch (ending)
        {
            case Ending.TryComplete:
                Assert.True(writer.TryComplete());
                break;
            case Ending.ReleaseWriter:
                writer.ReleaseWriter();
                break;
            default:
                writer.Detach();
                break;
        }
        Assert.False(writer.HasClaim);
        Assert.Equal(RingLayout.Tag(0), *(long*)ring.Data);
        Assert.Equal(RingLayout.KindPadding, *(int*)(ring.Data + RingLayout.RecordKindOffset));
        Assert.False(reader.TryAcquire(out _));
        Assert.Equal(24, Volatile.Read(ref *ring.SlotCursor(0)));
        writer.Dispose();
    }

    [Fact]
    public void ASecondDetachOrADetachAfterTheReleaseReturnsNothing()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 3);
        var detached = ring.OpenWriter();
        var released = ring.OpenWriter();
        using var kept = ring.OpenWriter();
        detached.Detach();
        detached.Detach();
        released.ReleaseWriter();
        released.Detach();
        Assert.Equal(2, *ring.WritersTaken);
        Assert.Equal(2, *ring.WritersRemaining);
        Assert.Equal(1, ring.WriterTable[1]); // three taken, one handed back, one released
        using var again = ring.OpenWriter();
        Assert.Throws<InvalidOperationException>(ring.OpenWriter);
        released.Dispose();
    }

    [Fact]
    public void ADetachedOrDisposedEndIsNotKeptByItsRing()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        var detached = OpenAndEnd(ring, detach: true);
        var disposed = OpenAndEnd(ring, detach: false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(detached.IsAlive);
        Assert.False(disposed.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference OpenAndEnd(SharedMemoryRing ring, bool detach)
    {
        var writer = ring.OpenWriter();
        if (detach) writer.Detach();
        else writer.Dispose();
        return new WeakReference(writer);
    }

    [Fact]
    public void AWaitThatCannotStartFailsSynchronously()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        *ring.StateWord = 77;
        var wait = writer.WaitToWriteAsync(8);
        Assert.True(wait.IsFaulted);
        var error = Assert.IsType<BufferCorruptedException>(wait.AsTask().Exception?.InnerException);
        Assert.Contains("state 77", error.Message);
        *ring.StateWord = RingState.Open;
    }

    [Fact]
    public void AReaderCursorAheadOfTheReserveCursorEndsAWaitForSpace()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        while (writer.TryClaim(40, out _)) writer.Commit();
        *ring.SlotCursor(0) = 1L << 30;
        var error = Assert.Throws<BufferCorruptedException>(() => writer.WaitForSpace(40));
        Assert.Contains($"the slowest reader cursor {1L << 30} is ahead of the reserve cursor 224", error.Message);
        *ring.SlotCursor(0) = 0;
    }

    [Fact]
    public void WithoutALiveReaderTheRingFillsAndAWaitReportsTheReaders()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        Assert.True(ring.CloseSlot(0));
        using var writer = ring.OpenWriter();
        var written = 0;
        while (written < 100 && writer.TryClaim(40, out _))
        {
            writer.Commit();
            written++;
        }
        Assert.Equal(256 / 56, written);
        var error = Assert.Throws<PeerProcessDiedException>(() => writer.WaitForSpace(40));
        Assert.Contains("has no live reader left to make room (slot 0: closed (pid 0))", error.Message);
    }

    [Fact]
    public void AClaimAtAWrapWithSeveralWritersReservesTheStartOfTheRing()
    {
        using var ring = RingTestSupport.Create(capacity: 256, writers: 2);
        using var writer = ring.OpenWriter();
        using var other = ring.OpenWriter();
        using var reader = ring.OpenReader();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(writer.TryClaim(48, out _));
            writer.Commit();
            Assert.True(reader.TryAcquire(out _));
            reader.Release();
        }
        Assert.True(writer.TryClaim(100, out _));
        Assert.Equal(RingLayout.ReservedTag(256), *(long*)ring.Data);
        Assert.Equal(RingLayout.Tag(192), *(long*)(ring.Data + 192));
        Assert.Equal(256 + 120, Volatile.Read(ref *ring.ReserveCursor));
        writer.Commit();
        Assert.Equal(RingLayout.Tag(256), *(long*)ring.Data);
    }

    // --- the slice checks of a parked writer ---

    [Fact]
    public void TheSliceCheckOfADisposedEndChecksNothing()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        var writer = ring.OpenWriter();
        writer.Dispose();
        var state = *ring.StateWord;
        *ring.StateWord = 77;
        ((IRingWaitCondition)writer).CheckSlice();
        *ring.StateWord = state;
    }

    [Fact]
    public void TheOnlyWritersPendingClaimIsWhereTheReserveCursorIs()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryClaim(8, out _));
        writer.Commit();
        Assert.True(writer.TryClaim(8, out _));
        Assert.Equal(24, Volatile.Read(ref *ring.ReserveCursor)); // moves on the commit
        ((IRingWaitCondition)writer).CheckSlice();
        writer.Commit();
        ((IRingWaitCondition)writer).CheckSlice();
    }

    [Fact]
    public void AReserveCursorMovedUnderTheOnlyWriterIsReported()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        *ring.ReserveCursor = 64;
        var error = Assert.Throws<BufferCorruptedException>(((IRingWaitCondition)writer).CheckSlice);
        Assert.Equal($"Ring '{ring.Name}': reserve cursor 64 is not 0, the position of the ring's only writer.", error.Message);
        *ring.ReserveCursor = 0;
    }

    [Fact]
    public void TheSliceCheckOfACompetingWriterChecksTheRecordAtTheReleaseFrontier()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        Assert.True(writer.TryClaim(8, out _));
        writer.Commit();
        Assert.True(reader.TryAcquire(out _));
        *(long*)ring.Data = 12345; // the claimed record's tag
        var error = Assert.Throws<BufferCorruptedException>(((IRingWaitCondition)writer).CheckSlice);
        Assert.Contains("the claimed record at the competing release cursor 0 has tag 12345", error.Message);
        *(long*)ring.Data = RingLayout.Tag(0);
        reader.Release();
    }

    [Fact]
    public void TheSliceChecksOfACompetingWriterReportAWrongTagAtTheClaimCursorOnceItLasted()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(writer.TryClaim(8, out _));
            writer.Commit();
        }
        Assert.True(reader.TryAcquire(out _));
        reader.Release();
        *(long*)(ring.Data + 24) = 12345;
        ((IRingWaitCondition)writer).CheckSlice();
        Thread.Sleep(SharedMemoryRing.StuckLimit + TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<BufferCorruptedException>(((IRingWaitCondition)writer).CheckSlice);
        Assert.Contains("the competing claim cursor 24 is below the reserve cursor 48, but the record tag there is 12345", error.Message);
        *(long*)(ring.Data + 24) = RingLayout.Tag(24);
    }

    [Fact]
    public void TheSliceChecksOfAWriterReportAWrongTagAtTheSlowestReaderOnceItLasted()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryClaim(8, out _));
        writer.Commit();
        *(long*)ring.Data = 12345;
        ((IRingWaitCondition)writer).CheckSlice();
        Thread.Sleep(SharedMemoryRing.StuckLimit + TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<BufferCorruptedException>(((IRingWaitCondition)writer).CheckSlice);
        Assert.Contains("the slowest reader's position 0 is below the reserve cursor 24, but the record tag there is 12345", error.Message);
        *(long*)ring.Data = RingLayout.Tag(0);
    }
}

/// <summary>The results of a raw writer end's waits (awaited, outside the unsafe class).</summary>
public sealed class RingWriterWaitResultTests
{
    [Fact]
    public async Task AWaitAfterTheEndReleasedItsReferenceIsFalse()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, writers: 2);
        using var writer = ring.OpenWriter();
        using var other = ring.OpenWriter();
        writer.ReleaseWriter();
        Assert.False(ring.IsCompleted);
        Assert.False(writer.WaitForSpace(8));
        Assert.False(await writer.WaitToWriteAsync(8));
        Assert.False(writer.TryClaim(8, out _));
    }
}
