using System.Runtime.InteropServices;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>In-process tests of the ring's record logic: wrap, padding, bounds checks, header validation.</summary>
public sealed unsafe class RingLogicTests
{
    [Fact]
    public void MessagesOfVaryingSizesSurviveManyWraps()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var size = random.Next(0, ring.MaxMessageBytes + 1);
            Assert.True(writer.TryClaim(size, out var span));
            for (var b = 0; b < size; b++) span[b] = (byte)(i + b);
            writer.Commit();
            Assert.True(reader.TryAcquire(out var message));
            Assert.Equal(size, message.Length);
            for (var b = 0; b < size; b++) Assert.Equal((byte)(i + b), message[b]);
            reader.Release();
            Assert.False(reader.TryAcquire(out _));
        }
        Assert.True(Volatile.Read(ref *ring.ReserveCursor) > 50 * ring.CapacityBytes);
    }

    /// <summary>
    /// The ends' inlined paths (the ring's only writer, a power-of-two capacity, no wrap) and their general paths (wraps,
    /// padding, batches, a capacity that is not a power of two, two writer references) hand over the same messages:
    /// every one intact, of its length, in order.
    /// </summary>
    [Theory]
    [InlineData(256, 1)]
    [InlineData(4096, 1)]
    [InlineData(264, 1)]
    [InlineData(4096, 2)]
    public void EveryPathDeliversEveryMessageInOrderThroughManyWraps(long capacity, int writers)
    {
        using var ring = RingTestSupport.Create(capacity: capacity, writers: writers);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        var random = new Random(11);
        var sizes = new Queue<int>();
        var sent = 0;
        var received = 0;
        for (var round = 0; round < 3000; round++)
        {
            var batch = round % 3 == 0;
            if (batch)
                writer.BeginBatch();
            var burst = random.Next(1, 6);
            for (var k = 0; k < burst; k++)
            {
                var size = random.Next(0, Math.Min(ring.MaxMessageBytes, 40) + 1);
                if (!writer.TryClaim(size, out var span))
                    break;
                for (var b = 0; b < size; b++)
                    span[b] = (byte)(sent + b);
                if (size > 0)
                    span[0] = (byte)sent;
                writer.Commit();
                sizes.Enqueue(size);
                sent++;
            }
            if (batch)
                writer.Flush();
            while (reader.TryAcquire(out var message))
            {
                Assert.Equal(sizes.Dequeue(), message.Length);
                for (var b = 1; b < message.Length; b++)
                    Assert.Equal((byte)(received + b), message[b]);
                if (message.Length > 0)
                    Assert.Equal((byte)received, message[0]);
                reader.Release();
                received++;
            }
            Assert.Equal(sent, received);
        }
        Assert.True(Volatile.Read(ref *ring.ReserveCursor) > 20 * ring.CapacityBytes, "expected many wraps");
    }

    /// <summary>
    /// On a ring whose one writer end takes the short claim path (a single writer reference, a power-of-two capacity),
    /// a claim is refused, or throws, for every reason the general path refuses it.
    /// </summary>
    [Theory]
    [InlineData("completed")]
    [InlineData("released")]
    [InlineData("disposed")]
    [InlineData("ring disposed")]
    [InlineData("corrupt state")]
    [InlineData("claim pending")]
    [InlineData("too long")]
    public void TheShortClaimPathRefusesWhatTheGeneralPathRefuses(string why)
    {
        var ring = RingTestSupport.Create(capacity: 4096);
        var writer = ring.OpenWriter();
        try
        {
            Assert.True(writer.TryClaim(8, out _)); // the short path, once, with room
            writer.Commit();
            switch (why)
            {
                case "completed":
                    Assert.True(ring.TryComplete(null)); // as another process would: the shared state word
                    Assert.False(writer.TryClaim(8, out _));
                    break;
                case "released":
                    writer.ReleaseWriter();
                    Assert.False(writer.TryClaim(8, out _));
                    break;
                case "disposed":
                    writer.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => writer.TryClaim(8, out _));
                    break;
                case "ring disposed":
                    ring.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => writer.TryClaim(8, out _));
                    break;
                case "corrupt state":
                    Volatile.Write(ref *ring.StateWord, 77);
                    Assert.Contains("77", Assert.Throws<BufferCorruptedException>(() => writer.TryClaim(8, out _)).Message);
                    Volatile.Write(ref *ring.StateWord, 0);
                    break;
                case "claim pending":
                    Assert.True(writer.TryClaim(8, out _));
                    Assert.Throws<InvalidOperationException>(() => writer.TryClaim(8, out _));
                    writer.Abort();
                    break;
                case "too long":
                    var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryClaim(ring.MaxMessageBytes + 1, out _));
                    Assert.Contains($"{ring.MaxMessageBytes + 1} bytes", error.Message);
                    break;
            }
        }
        finally
        {
            writer.Dispose();
            ring.Dispose();
        }
    }

    /// <summary>
    /// Records that end exactly at the end of the ring (the short path's last fit), a tail of 8 bytes (skipped without
    /// a padding record), a padding record, and the largest message, in a fixed order, each read back intact.
    /// </summary>
    [Fact]
    public void RecordsAtTheEdgesOfTheRingArriveIntact()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        // Record sizes (16-byte header, 8-byte aligned): 48 -> 64, 40 -> 56, 100 -> 120, 0 -> 16, 112 (the largest) -> 128.
        // The offset in the ring after each record is in the comment.
        int[] sizes =
        [
            48, 48, 48, 48,     // 64, 128, 192, 256: the fourth ends exactly at the end of the ring
            48, 48, 48, 40,     // 64, 128, 192, 248: an 8-byte tail, too short for a record header
            112,                // the tail is skipped without a padding record: 128
            ring.MaxMessageBytes, // 256, ends exactly at the end again
            48, 100, 48,        // 64, 184, 248: the 8-byte tail again
            48,                 // skipped: 64
            0, 0, 112,          // 80, 96, 224: a 32-byte tail
            48,                 // does not fit 32 bytes: a padding record there, then 64
        ];
        var i = 0;
        foreach (var size in sizes)
        {
            Assert.True(writer.TryClaim(size, out var span), $"claim {i} of {size} bytes");
            for (var b = 0; b < size; b++)
                span[b] = (byte)(i * 31 + b);
            writer.Commit();
            Assert.True(reader.TryAcquire(out var message), $"message {i}");
            Assert.Equal(size, message.Length);
            for (var b = 0; b < size; b++)
                Assert.Equal((byte)(i * 31 + b), message[b]);
            reader.Release();
            i++;
        }
        Assert.False(reader.TryAcquire(out _));
        // Five laps of 256, less the last: the tails skipped and padded where the comments say, nothing else lost.
        Assert.Equal(5 * 256 + 64, Volatile.Read(ref *ring.ReserveCursor));
    }

    [Fact]
    public void AFullRingRefusesUntilTheReaderReleases()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        var written = 0;
        while (writer.TryClaim(40, out _))
        {
            writer.Commit();
            written++;
        }
        Assert.Equal(256 / 56, written);
        Assert.True(reader.TryAcquire(out _));
        Assert.False(writer.TryClaim(40, out _));
        reader.Release();
        Assert.True(writer.TryClaim(40, out _));
        writer.Commit();
    }

    [Fact]
    public void APaddingRecordFillsTheTailAtTheWrap()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        // 3 records of 64 bytes (48 payload + 16 header) leave a 64-byte tail; a 100-byte message does not fit there.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(writer.TryClaim(48, out _));
            writer.Commit();
            Assert.True(reader.TryAcquire(out _));
            reader.Release();
        }
        Assert.True(writer.TryClaim(100, out var span));
        span.Fill(0xAB);
        writer.Commit();
        var pad = ring.Data + 192;
        Assert.Equal(193L, *(long*)pad);
        Assert.Equal(RingLayout.KindPadding, *(int*)(pad + RingLayout.RecordKindOffset));
        Assert.Equal(64 - 16, *(int*)(pad + RingLayout.RecordLengthOffset));
        Assert.Equal(257L, *(long*)ring.Data);
        Assert.True(reader.TryAcquire(out var message));
        Assert.Equal(100, message.Length);
        Assert.All(message.ToArray(), b => Assert.Equal(0xAB, b));
        reader.Release();
        Assert.Equal(256L + 120, Volatile.Read(ref *ring.SlotCursor(0)));
    }

    [Fact]
    public void AnAbortedClaimIsSkippedByReaders()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryClaim(30, out _));
        writer.Abort();
        Assert.True(writer.TryClaim(3, out var span));
        span[0] = 42;
        writer.Commit();
        Assert.True(reader.TryAcquire(out var message));
        Assert.Equal(3, message.Length);
        Assert.Equal(42, message[0]);
        reader.Release();
    }

    [Fact]
    public void AnOversizedMessageNamesBothSizes()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.CreateWriter<byte[]>();
        // Half the ring, 8-byte aligned, less the 16-byte record header.
        Assert.Equal(1024 / 2 - 16, ring.MaxMessageBytes);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryWrite(new byte[5000]));
        Assert.Contains("5000", error.Message);
        Assert.Contains("496", error.Message);
        Assert.Contains("1024", error.Message);
    }

    [Fact]
    public void ACorruptRecordLengthIsReportedNotRead()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryClaim(8, out _));
        writer.Commit();
        *(int*)(ring.Data + RingLayout.RecordLengthOffset) = 1_000_000;
        var error = Assert.Throws<BufferCorruptedException>(() => reader.TryAcquire(out _));
        Assert.Contains("1000000", error.Message);
        Assert.Contains("length", error.Message);
    }

    [Fact]
    public void ACorruptRecordKindIsReported()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        Assert.True(writer.TryClaim(8, out _));
        writer.Commit();
        *(int*)(ring.Data + RingLayout.RecordKindOffset) = 77;
        var error = Assert.Throws<BufferCorruptedException>(() => reader.TryAcquire(out _));
        Assert.Contains("77", error.Message);
    }

    [Theory]
    [InlineData(RingLayout.MagicOffset, "magic")]
    [InlineData(RingLayout.VersionOffset, "version")]
    [InlineData(RingLayout.CapacityOffset, "capacity")]
    [InlineData(RingLayout.ModeOffset, "mode")]
    [InlineData(RingLayout.ReaderSlotsOffset, "reader slot count")]
    public void ACorruptedHeaderFailsAttach(int offset, string field)
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using (var file = new FileStream(ring.FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Position = offset;
            file.Write([0x77, 0x77, 0x77, 0x77]);
        }
        var error = Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(ring.Name));
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void ACorruptErrorLengthIsReported()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        writer.TryComplete(new InvalidOperationException("x"));
        *(int*)(ring.Base + RingLayout.ErrorAreaOffset) = 99_999;
        var error = Assert.Throws<BufferCorruptedException>(() => reader.Raw.WaitToRead());
        Assert.Contains("99999", error.Message);
    }

    [Fact]
    public void SealedSegmentsAreOwnerOnlyAndGoneOnDispose()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        string name;
        using (var ring = RingTestSupport.Create())
        {
            name = ring.Name;
            Assert.True(ring.IsSealed);
            Assert.Matches($"^puma-[0-9a-f]{{32}}@{Environment.ProcessId}\\.[0-9]+$", ring.Name);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ring.FilePath));
            using var attached = SharedMemoryRing.Attach(ring.Name);
            Assert.False(attached.IsCreator);
            Assert.True(attached.IsSealed);
            attached.Dispose();
            Assert.NotNull(SharedMemoryRing.Attach(ring.Name).Name);
        }
        RingTestSupport.AssertGone(name);
    }

    [Fact]
    public void ARingWithAnExplicitNameIsAnOwnerOnlyFileUnlinkedOnDispose()
    {
        string path;
        var name = "puma-test-" + Guid.NewGuid().ToString("N");
        using (var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Name = name }))
        {
            path = ring.FilePath;
            Assert.False(ring.IsSealed);
            Assert.Equal(name, ring.Name);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using var attached = SharedMemoryRing.Attach(ring.Name);
            Assert.False(attached.IsCreator);
            attached.Dispose();
            Assert.True(File.Exists(path));
        }
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("puma-0123456789abcdef0123456789abcdef@12")]
    [InlineData("puma-0123456789abcdef0123456789ABCDEF@12.3")]
    [InlineData("puma-0123@12.3")]
    [InlineData("puma-0123456789abcdef0123456789abcdef@-1.3")]
    [InlineData("puma-0123456789abcdef0123456789abcdef@12.x")]
    public void MalformedSealedNamesAreRejectedByName(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => SharedMemoryRing.Attach(name));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void ADescriptorNumberReusedAfterDisposeIsNotMistakenForTheRing()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        var ring = RingTestSupport.Create();
        var name = ring.Name;
        ring.Dispose();
        // The lowest free descriptor is reused first: the file opened now most likely gets the
        // ring's number. Whatever the number names now, Attach must not map it.
        using var other = File.Open(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            Assert.Throws<FileNotFoundException>(() => SharedMemoryRing.Attach(name));
        }
        finally
        {
            File.Delete(other.Name);
        }
    }

    [Fact]
    public void StaleSegmentsOfDeadCreatorsAreRemoved()
    {
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Name = "puma-test-" + Guid.NewGuid().ToString("N") });
        var copy = Path.Combine(Path.GetDirectoryName(ring.FilePath)!, "puma-" + Guid.NewGuid().ToString("N"));
        File.Copy(ring.FilePath, copy);
        try
        {
            using (var file = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = RingLayout.CreatorPidOffset;
                file.Write(BitConverter.GetBytes(int.MaxValue - 5));
            }
            Assert.True(SharedMemoryRing.RemoveStale() >= 1);
            Assert.False(File.Exists(copy));
            Assert.True(File.Exists(ring.FilePath));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void TruncatedSegmentFilesOfDeadCreatorsAreRemoved()
    {
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Name = "puma-test-" + Guid.NewGuid().ToString("N") });
        var directory = Path.GetDirectoryName(ring.FilePath)!;
        var truncated = Path.Combine(directory, "puma-" + Guid.NewGuid().ToString("N"));
        var emptied = Path.Combine(directory, "puma-" + Guid.NewGuid().ToString("N"));
        var fresh = Path.Combine(directory, "puma-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.Copy(ring.FilePath, truncated);
            using (var file = new FileStream(truncated, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = RingLayout.CreatorPidOffset;
                file.Write(BitConverter.GetBytes(int.MaxValue - 5));
                file.SetLength(1000); // header line intact, size no longer the header's
            }
            File.WriteAllBytes(emptied, []);
            File.SetLastWriteTimeUtc(emptied, DateTime.UtcNow - TimeSpan.FromMinutes(5));
            File.WriteAllBytes(fresh, []); // may be a segment being created right now: kept
            Assert.True(SharedMemoryRing.RemoveStale() >= 2);
            Assert.False(File.Exists(truncated));
            Assert.False(File.Exists(emptied));
            Assert.True(File.Exists(fresh));
            Assert.True(File.Exists(ring.FilePath));
        }
        finally
        {
            File.Delete(truncated);
            File.Delete(emptied);
            File.Delete(fresh);
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(100L)]
    [InlineData(1001L)]
    [InlineData(1L << 40)]
    public void BadCapacitiesAreRejectedByName(long capacity)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = capacity }));
        Assert.Contains("CapacityBytes", error.Message);
        Assert.Contains(capacity.ToString(), error.Message);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SharedMemoryRing.Create(new SharedMemoryRingOptions { Readers = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SharedMemoryRing.Create(new SharedMemoryRingOptions { Mode = BufferMode.Broadcast, Readers = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SharedMemoryRing.Create(new SharedMemoryRingOptions { Writers = 0 }));
        Assert.Throws<ArgumentException>(() => SharedMemoryRing.Attach("../etc/passwd"));
    }

    [Fact]
    public void SlotsAndWriterReferencesAreLimited()
    {
        using var ring = RingTestSupport.Create(mode: BufferMode.Broadcast, readers: 2, writers: 1);
        using var writer = ring.OpenWriter();
        Assert.Throws<InvalidOperationException>(() => ring.OpenWriter());
        using var reader = ring.OpenReader(1);
        Assert.Throws<InvalidOperationException>(() => ring.OpenReader(1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ring.OpenReader(2));
        Assert.Contains("0..1", error.Message);
    }

    [Fact]
    public void HostileCompetingCursorsFailAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        *ring.ClaimCursor = 1L << 40;
        var error = Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(ring.Name));
        Assert.Contains((1L << 40).ToString(), error.Message);
        *ring.ClaimCursor = 0;
    }

    [Fact]
    public void ACompetingRingThatWrappedCanStillBeAttached()
    {
        // Competing readers share the claim and release cursors; their slot cursors stay 0 and must
        // not be taken for readers a whole ring behind (a restarted child attaches after wraps).
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>(0);
        for (long i = 0; i < 500; i++)
        {
            Assert.True(writer.TryWrite(i));
            Assert.True(reader.TryRead(out var item));
            Assert.Equal(i, item);
        }
        Assert.True(Volatile.Read(ref *ring.ReserveCursor) > 4 * ring.CapacityBytes);
        using var attached = SharedMemoryRing.Attach(ring.Name);
        using var restarted = attached.CreateReader<long>(1);
        Assert.True(writer.TryWrite(500));
        Assert.True(restarted.TryRead(out var next));
        Assert.Equal(500, next);
    }

    [Fact]
    public void AHostileReaderCursorFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        *ring.SlotCursor(0) = -8;
        var error = Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(ring.Name));
        Assert.Contains("reader 0 cursor -8", error.Message);
        *ring.SlotCursor(0) = 0;
    }
}
