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
        for (int i = 0; i < 5000; i++)
        {
            int size = random.Next(0, ring.MaxMessageBytes + 1);
            Assert.True(writer.TryClaim(size, out Span<byte> span));
            for (int b = 0; b < size; b++) span[b] = (byte)(i + b);
            writer.Commit();
            Assert.True(reader.TryAcquire(out ReadOnlySpan<byte> message));
            Assert.Equal(size, message.Length);
            for (int b = 0; b < size; b++) Assert.Equal((byte)(i + b), message[b]);
            reader.Release();
            Assert.False(reader.TryAcquire(out _));
        }
        Assert.True(Volatile.Read(ref *ring.ReserveCursor) > 50 * ring.CapacityBytes);
    }

    [Fact]
    public void AFullRingRefusesUntilTheReaderReleases()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        int written = 0;
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
        for (int i = 0; i < 3; i++)
        {
            Assert.True(writer.TryClaim(48, out _));
            writer.Commit();
            Assert.True(reader.TryAcquire(out _));
            reader.Release();
        }
        Assert.True(writer.TryClaim(100, out Span<byte> span));
        span.Fill(0xAB);
        writer.Commit();
        byte* pad = ring.Data + 192;
        Assert.Equal(193L, *(long*)pad);
        Assert.Equal(RingLayout.KindPadding, *(int*)(pad + RingLayout.RecordKindOffset));
        Assert.Equal(64 - 16, *(int*)(pad + RingLayout.RecordLengthOffset));
        Assert.Equal(257L, *(long*)ring.Data);
        Assert.True(reader.TryAcquire(out ReadOnlySpan<byte> message));
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
        Assert.True(writer.TryClaim(3, out Span<byte> span));
        span[0] = 42;
        writer.Commit();
        Assert.True(reader.TryAcquire(out ReadOnlySpan<byte> message));
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
    public void SegmentsAreOwnerOnlyAndUnlinkedOnDispose()
    {
        string path;
        using (var ring = RingTestSupport.Create())
        {
            path = ring.FilePath;
            Assert.StartsWith("puma-", ring.Name);
            Assert.Equal(5 + 32, ring.Name.Length);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using var attached = SharedMemoryRing.Attach(ring.Name);
            Assert.False(attached.IsCreator);
            attached.Dispose();
            Assert.True(File.Exists(path));
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void StaleSegmentsOfDeadCreatorsAreRemoved()
    {
        using var ring = RingTestSupport.Create();
        string copy = Path.Combine(Path.GetDirectoryName(ring.FilePath)!, "puma-" + Guid.NewGuid().ToString("N"));
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
    public void AHostileReaderCursorFailsAttach()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        *ring.SlotCursor(0) = -8;
        var error = Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(ring.Name));
        Assert.Contains("reader 0 cursor -8", error.Message);
        *ring.SlotCursor(0) = 0;
    }
}
