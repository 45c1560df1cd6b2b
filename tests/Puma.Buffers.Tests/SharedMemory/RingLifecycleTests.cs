using System.Buffers;
using System.Threading.Channels;
using Puma.Buffers.Codecs;
using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.SharedMemory.RingTestShared;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// A ring's life: attach checks and the cleanup of a failed attach, the ends a ring disposes with
/// itself; and the channel writer's edges (null items on a full ring, a failing codec, a blocked
/// write that ends with the ring, its scratch buffer). File segments: <see cref="StaleSegmentFileTests"/>.
/// </summary>
public sealed class RingLifecycleTests
{
    [Fact]
    public void AttachRefusesANullName()
    {
        var error = Assert.Throws<ArgumentNullException>(() => SharedMemoryRing.Attach(null!));
        Assert.Equal("name", error.ParamName);
    }

    [Theory]
    [InlineData(-256)]
    [InlineData(-8)]
    [InlineData(0)]
    public void ASealedSegmentSmallerThanTheSmallestRingIsRefusedAndClosed(int belowSmallest)
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        var smallest = RingLayout.DataOffset(1) + RingLayout.MinCapacityBytes;
        var segment = RingSegment.NewName();
        using var handle = Memfd.TryCreateSealed(segment, smallest + belowSmallest);
        Assert.NotNull(handle);
        var name = $"{segment}@{Environment.ProcessId}.{(int)handle.DangerousGetHandle()}";
        var error = Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(name));
        if (belowSmallest < 0)
            Assert.Equal($"Segment '{name}' is {smallest + belowSmallest} bytes long, smaller than the smallest ring ({smallest} bytes).", error.Message);
        else
            Assert.Contains("magic", error.Message, StringComparison.OrdinalIgnoreCase); // long enough: its (empty) header is what is wrong
        Assert.Equal(1, DescriptorsOf(segment)); // only the test's own
    }

    [Fact]
    public unsafe void AFailedAttachUnmapsWhatItMapped()
    {
        if (!OperatingSystem.IsLinux()) return;
        var ring = RingTestSupport.Create();
        var segment = ring.Name.Split('@')[0];
        *(int*)(ring.Base + RingLayout.VersionOffset) = 99;
        Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(ring.Name));
        ring.Dispose();
        Assert.DoesNotContain(File.ReadLines("/proc/self/maps"), line => line.Contains(segment, StringComparison.Ordinal));
        Assert.Equal(0, DescriptorsOf(segment));
    }

    [Fact]
    public void TheEndsARingOpenedAreDisposedWithIt()
    {
        using var ring = RingTestSupport.Create();
        var view = SharedMemoryRing.Attach(ring.Name);
        view.OpenWriter();
        view.OpenReader(0);
        Assert.Equal(2, TrackedEnds(view));
        view.Dispose();
        Assert.True(ring.IsCompleted); // the view's writer released the only writer reference
        Assert.Equal(SlotState.Closed, StateOf(ring, 0));
    }

    [Fact]
    public void EndsCannotBeOpenedOnADisposedRing()
    {
        var ring = RingTestSupport.Create();
        ring.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ring.OpenWriter());
        Assert.Throws<ObjectDisposedException>(() => ring.OpenReader(0));
    }

    [Fact]
    public void ItemTooLargeErrorsNameTheBufferARingCarries()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.CreateWriter<byte[]>();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryWrite(new byte[5000]));
        Assert.StartsWith($"Ring '{ring.Name}': an item of ", error.Message);
        ring.BufferName = "orders";
        error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryWrite(new byte[5000]));
        Assert.StartsWith("Buffer 'orders': an item of ", error.Message);
    }

    [Fact]
    public void ANullItemOnAFullRingIsRefused()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.CreateWriter<string>();
        using var reader = ring.CreateReader<string>();
        var written = 0;
        while (written < 1000 && writer.TryWrite(null!)) written++;
        Assert.Equal(256 / RingLayout.RecordHeaderBytes, written); // a null item is a bare record header
        Assert.False(writer.TryWrite(null!));
        Assert.True(reader.TryRead(out var first));
        Assert.Null(first);
        Assert.True(writer.TryWrite(null!));
        var read = 0;
        while (reader.TryRead(out var item))
        {
            Assert.Null(item);
            read++;
        }
        Assert.Equal(written, read);
    }

    [Fact]
    public void AnItemTheCodecFailsToEncodeIsAbortedAndTheErrorPropagates()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter(new PickyCodec());
        using var reader = ring.CreateReader(0, new PickyCodec());
        var error = Assert.Throws<InvalidOperationException>(() => writer.TryWrite(-1));
        Assert.Equal("cannot encode -1", error.Message);
        Assert.False(writer.Raw.HasClaim);
        Assert.True(writer.TryWrite(5));
        Assert.True(reader.TryRead(out var item));
        Assert.Equal(5, item);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public async Task AWriteAsyncWhoseEncodeFailsFailsAtOnceWithoutRetrying()
    {
        using var ring = RingTestSupport.Create();
        var codec = new FailOnceCodec();
        using var writer = ring.CreateWriter(codec);
        var write = writer.WriteAsync(1);
        Assert.True(write.IsFaulted);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => write.AsTask());
        Assert.Equal("first encode fails", error.Message);
        Assert.Equal(1, codec.EncodeCalls);
    }

    [Fact]
    public async Task ABlockedWriteProceedsOnceTheReaderMakesRoom()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        var written = 0;
        while (writer.TryWrite(written)) written++;
        var pending = writer.WriteAsync(written).AsTask();
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(0, first);
        await pending.WaitAsync(RingTestSupport.Generous);
        var items = new List<int>();
        while (reader.TryRead(out var item)) items.Add(item);
        Assert.Equal(Enumerable.Range(1, written), items);
    }

    [Fact]
    public async Task ABlockedWriteEndsWithChannelClosedWhenTheRingCompletes()
    {
        using var ring = RingTestSupport.Create(capacity: 256, writers: 2);
        using var writer = ring.CreateWriter<int>();
        using var other = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        while (writer.TryWrite(1))
        {
        }
        var pending = writer.WriteAsync(2).AsTask();
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);
        Assert.True(other.TryComplete(new InvalidOperationException("stop")));
        var error = await Assert.ThrowsAsync<ChannelClosedException>(() => pending.WaitAsync(RingTestSupport.Generous));
        var remote = Assert.IsType<RemoteBufferException>(error.InnerException);
        Assert.Equal("stop", remote.Message);
    }

    [Fact]
    public void ADetachedChannelWriterIsNoLongerDisposedWithTheRing()
    {
        using var ring = RingTestSupport.Create();
        var writer = ring.CreateWriter<int>();
        Assert.Equal(1, TrackedEnds(ring));
        writer.Detach();
        Assert.Equal(0, TrackedEnds(ring));
        Assert.False(ring.IsCompleted);
    }

    [Fact]
    public void ACodecWithoutAnUpFrontSizeEncodesThroughOneReusedScratchBuffer()
    {
        using var ring = RingTestSupport.Create(capacity: 1 << 16);
        using var writer = ring.CreateWriter(new UnsizedCodec());
        using var reader = ring.CreateReader(0, new UnsizedCodec());
        void RoundTrips(int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (!writer.TryWrite(i)) throw new InvalidOperationException("expected room");
                if (!reader.TryRead(out var item) || item != i) throw new InvalidOperationException("expected " + i);
            }
        }
        RoundTrips(100);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrips(1000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>How many of this process's descriptors open the memfd <paramref name="segment"/>.</summary>
    private static int DescriptorsOf(string segment)
    {
        var expected = "/memfd:" + segment + " (deleted)";
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == expected) count++;
            }
            catch (IOException)
            {
            }
        }
        return count;
    }

    private sealed class PickyCodec : IBufferCodec<int>
    {
        public bool TryGetByteCount(int value, out int byteCount)
        {
            byteCount = 4;
            return true;
        }

        public void Encode(int value, Span<byte> destination)
        {
            if (value < 0) throw new InvalidOperationException($"cannot encode {value}");
            BitConverter.TryWriteBytes(destination, value);
        }

        public int Decode(ReadOnlySpan<byte> source) => BitConverter.ToInt32(source);
    }

    private sealed class FailOnceCodec : IBufferCodec<int>
    {
        public int EncodeCalls { get; private set; }

        public bool TryGetByteCount(int value, out int byteCount)
        {
            byteCount = 4;
            return true;
        }

        public void Encode(int value, Span<byte> destination)
        {
            if (++EncodeCalls == 1) throw new InvalidOperationException("first encode fails");
            BitConverter.TryWriteBytes(destination, value);
        }

        public int Decode(ReadOnlySpan<byte> source) => BitConverter.ToInt32(source);
    }

    private sealed class UnsizedCodec : IBufferCodec<int>
    {
        public bool TryGetByteCount(int value, out int byteCount)
        {
            byteCount = 0;
            return false;
        }

        public void Encode(int value, Span<byte> destination) => throw new NotSupportedException();

        public void Encode(int value, IBufferWriter<byte> destination)
        {
            BitConverter.TryWriteBytes(destination.GetSpan(4), value);
            destination.Advance(4);
        }

        public int Decode(ReadOnlySpan<byte> source) => BitConverter.ToInt32(source);
    }
}
