using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.SharedMemory.RingTestShared;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Shared memory that holds an impossible value (written by any process of the same user) ends
/// waits with a <see cref="BufferCorruptedException"/> naming the field, never a hang or a quiet end.
/// The bounds are liveness bounds (a park slice is 250 ms; a missing record is reported after it
/// lasted 1 s), not speed assertions.
/// </summary>
public sealed class CorruptionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public enum Corruption
    {
        StateAboveTheLast,
        StateNegative,
        ReserveCursorFarAhead,
        ReserveCursorSlightlyAhead,
        WritersRemaining1000,
        RandomDataArea,
    }

    public enum Wait
    {
        ChannelReadAsync,
        RawWaitToReadAsync,
        ChannelWriteAsync,
        RawWaitToWriteAsync,
    }

    /// <summary>
    /// Every corruption against every kind of wait, with one writer reference; the record checks
    /// differ with several (the reserve cursor moves at the claim, not at the commit), so those
    /// corruptions run with two as well.
    /// </summary>
    public static TheoryData<Corruption, Wait, int> Cases()
    {
        var cases = new TheoryData<Corruption, Wait, int>();
        foreach (var corruption in Enum.GetValues<Corruption>())
        {
            foreach (var wait in Enum.GetValues<Wait>())
            {
                cases.Add(corruption, wait, 1);
                if (corruption is Corruption.ReserveCursorSlightlyAhead or Corruption.RandomDataArea) cases.Add(corruption, wait, 2);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryCorruptionEndsAWaitNamingTheField(Corruption corruption, Wait wait, int writers)
    {
        using var ring = RingTestSupport.Create(capacity: 4096, writers: writers);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var readerSide = wait is Wait.ChannelReadAsync or Wait.RawWaitToReadAsync;
        Task pending;
        if (readerSide && corruption == Corruption.RandomDataArea)
        {
            // Unread records whose bytes are then overwritten: the reader finds no record to read
            // although the reserve cursor says there are some.
            for (var i = 0; i < 3; i++) Assert.True(writer.TryWrite(i));
            Corrupt(ring, corruption);
            pending = StartWait(wait, writer, reader);
        }
        else
        {
            if (!readerSide)
            {
                var i = 0;
                while (writer.TryWrite(i)) i++; // full: the writer parks, the reader never reads
            }
            pending = StartWait(wait, writer, reader);
            await Task.Delay(100);
            Assert.False(pending.IsCompleted, $"the {wait} should wait before the corruption");
            Corrupt(ring, corruption);
        }

        var error = await Assert.ThrowsAsync<BufferCorruptedException>(() => pending.WaitAsync(Bound));
        Assert.Contains(FieldOf(corruption), error.Message);
        Assert.Contains(ring.Name, error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AClaimHeldLongerThanTheStuckLimitIsNotCorruption(int writers)
    {
        // A zero-copy writer may hold a claim as long as it likes: the reader waits on it (the
        // reserve cursor is past it in multi-writer mode, where the claim holds its reserved tag).
        using var ring = RingTestSupport.Create(capacity: 4096, writers: writers);
        using var writer = ring.OpenWriter();
        using var reader = ring.CreateReader<byte[]>();
        Assert.True(ClaimAndFill(writer, 3, 7));
        var pending = reader.ReadAsync().AsTask();
        await Task.Delay(SharedMemoryRing.StuckLimit * 2);
        Assert.False(pending.IsCompleted, pending.Exception?.ToString());
        writer.Commit();
        Assert.Equal(new byte[] { 7, 7, 7 }, await pending.WaitAsync(Bound));
    }

    [Theory]
    [InlineData(77)]
    [InlineData(-1)]
    public void TryCompleteOnAnUndefinedStateThrowsInsteadOfReturningFalse(int state)
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<int>();
        WriteInt(ring, RingLayout.StateOffset, state);
        var error = Assert.Throws<BufferCorruptedException>(() => writer.TryComplete());
        Assert.Contains($"state {state}", error.Message);
        error = Assert.Throws<BufferCorruptedException>(() => writer.TryComplete(new InvalidOperationException("x")));
        Assert.Contains($"state {state}", error.Message);
        error = Assert.Throws<BufferCorruptedException>(() => writer.TryWrite(1));
        Assert.Contains($"state {state}", error.Message);
    }

    [Fact]
    public async Task ACompletionWithAnErrorThatNeverFinishesIsReported()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var pending = reader.ReadAsync().AsTask();
        await Task.Delay(100);
        WriteInt(ring, RingLayout.StateOffset, 1); // completing with an error, and nobody will finish it
        var error = await Assert.ThrowsAsync<BufferCorruptedException>(() => pending.WaitAsync(Bound));
        Assert.Contains("completing with an error", error.Message);
    }

    [Fact]
    public async Task ARingWhoseWritersAreAllReleasedButNotCompletedIsCompletedByAWaitingReader()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, writers: 2);
        using var writer = ring.CreateWriter<int>();
        using var dying = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        Assert.True(writer.TryWrite(1));
        writer.ReleaseWriter();
        // The second writer's release as a process dying between its release and the completion
        // leaves it: its reference counted as released, the ring still open.
        WriteInt(ring, RingLayout.WritersRemainingOffset, 0);
        WriteInt(ring, RingLayout.WriterTableOffset + 4, 0);
        Assert.Equal(1, await reader.ReadAsync().AsTask().WaitAsync(Bound));
        Assert.False(await reader.WaitToReadAsync().AsTask().WaitAsync(Bound));
    }

    [Theory]
    [InlineData(9, "reader slot 0 state 9")]
    [InlineData(-3, "reader slot 0 state -3")]
    public async Task AnUndefinedSlotStateIsReportedToAWriter(int state, string field)
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var i = 0;
        while (writer.TryWrite(i)) i++;
        var pending = writer.WriteAsync(i).AsTask();
        await Task.Delay(100);
        WriteInt(ring, RingLayout.SlotOffset(0) + RingLayout.SlotStateOffset, state);
        var error = await Assert.ThrowsAsync<BufferCorruptedException>(() => pending.WaitAsync(Bound));
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public async Task ASecondWriterFindsTheReserveCursorFarAhead()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, writers: 2);
        using var first = ring.CreateWriter<int>();
        using var second = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var i = 0;
        while (first.TryWrite(i)) i++;
        var pending = second.WriteAsync(i).AsTask();
        await Task.Delay(100);
        WriteLong(ring, RingLayout.ReserveCursorOffset, ReadLong(ring, RingLayout.ReserveCursorOffset) + (1 << 20));
        var error = await Assert.ThrowsAsync<BufferCorruptedException>(() => pending.WaitAsync(Bound));
        Assert.Contains("reserve cursor", error.Message);
    }

    [Fact]
    public void AReaderCursorAheadOfTheReserveCursorIsReportedBeforeAWriterOverwritesUnreadRecords()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var i = 0;
        while (writer.TryWrite(i)) i++;
        WriteLong(ring, RingLayout.SlotOffset(0) + RingLayout.SlotCursorOffset, 1L << 30); // a writer trusting it would see the whole ring as free
        var error = Assert.Throws<BufferCorruptedException>(() => writer.TryWrite(i));
        Assert.Contains((1L << 30).ToString(), error.Message);
        Assert.Contains("reserve cursor", error.Message);
    }

    [Fact]
    public void ACompetingRecordCorruptedWhileClaimedIsReportedOnRelease()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, mode: BufferMode.Competing, readers: 2);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        Assert.True(writer.TryClaim(8, out _));
        writer.Commit();
        Assert.True(reader.TryAcquire(out _));
        WriteDataLong(ring, 0, 12345); // the claimed record's tag
        var error = Assert.Throws<BufferCorruptedException>(() => reader.Release());
        Assert.Contains("release cursor 0", error.Message);
        Assert.Contains("tag 12345", error.Message);
    }

    [Theory]
    [InlineData(RingLayout.WritersClaimedOffset, 7, "writers taken 7")]
    [InlineData(RingLayout.WriterTableOffset + 4, 5000, "writer table entry 0")]
    [InlineData(RingLayout.DataSignalOffset + 4, -2, "data waiter count -")]
    public async Task OtherImpossibleCountsAreReportedToAParkedReader(int offset, int value, string field)
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var pending = reader.ReadAsync().AsTask();
        await Task.Delay(100);
        var original = ReadInt(ring, offset);
        WriteInt(ring, offset, value);
        var error = await Assert.ThrowsAsync<BufferCorruptedException>(() => pending.WaitAsync(Bound));
        Assert.Contains(field, error.Message);
        WriteInt(ring, offset, original);
    }

    private static Task StartWait(Wait wait, SharedMemoryChannelWriter<int> writer, SharedMemoryChannelReader<int> reader) => wait switch
    {
        Wait.ChannelReadAsync => reader.ReadAsync().AsTask(),
        Wait.RawWaitToReadAsync => reader.Raw.WaitToReadAsync().AsTask(),
        Wait.ChannelWriteAsync => writer.WriteAsync(-1).AsTask(),
        _ => writer.Raw.WaitToWriteAsync(64).AsTask(),
    };

    private static void Corrupt(SharedMemoryRing ring, Corruption corruption)
    {
        switch (corruption)
        {
            case Corruption.StateAboveTheLast:
                WriteInt(ring, RingLayout.StateOffset, 77);
                break;
            case Corruption.StateNegative:
                WriteInt(ring, RingLayout.StateOffset, -1);
                break;
            case Corruption.ReserveCursorFarAhead:
                WriteLong(ring, RingLayout.ReserveCursorOffset, ReadLong(ring, RingLayout.ReserveCursorOffset) + (1 << 20));
                break;
            case Corruption.ReserveCursorSlightlyAhead:
                WriteLong(ring, RingLayout.ReserveCursorOffset, ReadLong(ring, RingLayout.ReserveCursorOffset) + 64);
                break;
            case Corruption.WritersRemaining1000:
                WriteInt(ring, RingLayout.WritersRemainingOffset, 1000);
                break;
            case Corruption.RandomDataArea:
                RandomizeData(ring);
                break;
        }
    }

    private static bool ClaimAndFill(RingWriter writer, int length, byte value)
    {
        if (!writer.TryClaim(length, out var span)) return false;
        span.Fill(value);
        return true;
    }






    private static unsafe void RandomizeData(SharedMemoryRing ring) => new Random(42).NextBytes(new Span<byte>(ring.Data, (int)ring.CapacityBytes));

    private static string FieldOf(Corruption corruption) => corruption switch
    {
        Corruption.StateAboveTheLast => "state 77",
        Corruption.StateNegative => "state -1",
        Corruption.ReserveCursorFarAhead or Corruption.ReserveCursorSlightlyAhead => "reserve cursor",
        Corruption.WritersRemaining1000 => "writers remaining 1000",
        _ => "record tag",
    };
}
