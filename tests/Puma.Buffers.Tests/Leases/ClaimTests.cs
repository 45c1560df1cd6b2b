using System.Buffers;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using static Puma.Buffers.Tests.Leases.LeaseTestSupport;

namespace Puma.Buffers.Tests.Leases;

public class ClaimTests
{
    public static TheoryData<Transport> AllTransports => Transports;

    [Theory]
    [MemberData(nameof(AllTransports))]
    public async Task CommittedClaimsAreDeliveredInOrderAndAnAbortedOneNever(Transport transport)
    {
        using var open = new OpenBuffer<byte[]>(transport);
        for (var n = 0; n < 5; n++)
        {
            Assert.True(open.Writer.TryClaim(10 + n, out var span));
            Payload(n, 10 + n).CopyTo(span);
            if (n == 2)
                open.Writer.Abort();
            else
                open.Writer.Commit();
        }
        open.Writer.Complete();

        var items = new List<byte[]>();
        await foreach (var item in open.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Generous).Token))
            items.Add(item);
        Assert.Equal([Payload(0, 10), Payload(1, 11), Payload(3, 13), Payload(4, 14)], items);
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public async Task ClaimAsyncWaitsForRoomAndTheClaimedItemIsDelivered(Transport transport)
    {
        // Two items fill either transport: 2 items in process, 2 x 1000 bytes in a 2 KiB ring.
        using var open = new OpenBuffer<byte[]>(transport, capacity: 2, capacityBytes: 2048);
        var written = 0;
        while (open.Writer.TryWrite(Payload(written, 1000)))
            written++;
        Assert.False(open.Writer.TryClaim(1000, out _));

        var claim = open.Writer.ClaimAsync(1000).AsTask();
        await Task.Delay(200);
        Assert.False(claim.IsCompleted);
        Assert.True(open.Reader.TryRead(out var first));
        Assert.Equal(Payload(0, 1000), first);
        var memory = await claim.WaitAsync(Generous);
        Assert.Equal(1000, memory.Length);
        Payload(99, 1000).CopyTo(memory);
        open.Writer.Commit();
        open.Writer.Complete();

        var rest = new List<byte[]>();
        await foreach (var item in open.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Generous).Token))
            rest.Add(item);
        Assert.Equal(written, rest.Count);
        Assert.Equal(Payload(99, 1000), rest[^1]);
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public async Task ClaimingOnACompletedBufferFails(Transport transport)
    {
        using var open = new OpenBuffer<byte[]>(transport);
        open.Writer.Complete();

        Assert.False(open.Writer.TryClaim(4, out _));
        await Assert.ThrowsAsync<ChannelClosedException>(() => open.Writer.ClaimAsync(4).AsTask().WaitAsync(Generous));
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void ClaimsOfStructsAndArraysBecomeThoseItems(Transport transport)
    {
        using var structs = new OpenBuffer<Sample>(transport);
        using var arrays = new OpenBuffer<long[]>(transport);
        using var memories = new OpenBuffer<ReadOnlyMemory<byte>>(transport);

        Assert.True(structs.Writer.TryClaim(16, out var s));
        MemoryMarshal.Write(s, new Sample(3, 0.5));
        structs.Writer.Commit();
        Assert.True(arrays.Writer.TryClaim(24, out var a));
        new long[] { 10L, 20L, long.MinValue }.CopyTo(MemoryMarshal.Cast<byte, long>(a));
        arrays.Writer.Commit();
        Assert.True(memories.Writer.TryClaim(2, out var m));
        m[0] = 4;
        m[1] = 2;
        memories.Writer.Commit();

        Assert.True(structs.Reader.TryRead(out var sample));
        Assert.Equal(new Sample(3, 0.5), sample);
        Assert.True(arrays.Reader.TryRead(out var longs));
        Assert.Equal([10L, 20L, long.MinValue], longs);
        Assert.True(memories.Reader.TryRead(out var memory));
        Assert.Equal([4, 2], memory.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void ClaimLengthsThatCannotMakeAnItemAreRefusedWithTheSizes(Transport transport)
    {
        using var structs = new OpenBuffer<Sample>(transport);
        using var arrays = new OpenBuffer<long[]>(transport);

        var single = Assert.Throws<ArgumentOutOfRangeException>(() => structs.Writer.TryClaim(8, out _));
        Assert.StartsWith("A claim of Sample must be exactly its size, 16 bytes, got 8.", single.Message);
        var multiple = Assert.Throws<ArgumentOutOfRangeException>(() => arrays.Writer.TryClaim(12, out _));
        Assert.StartsWith("A claim of Int64[] must be a multiple of its element size, 8 bytes, got 12.", multiple.Message);
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void OneClaimAtATimeAndCommitNeedsAClaim(Transport transport)
    {
        using var open = new OpenBuffer<byte[]>(transport);

        Assert.Throws<InvalidOperationException>(() => open.Writer.Commit());
        Assert.True(open.Writer.TryClaim(4, out _));
        var twice = Assert.Throws<InvalidOperationException>(() => open.Writer.TryClaim(4, out _));
        Assert.Contains("a claim is pending", twice.Message);
        open.Writer.Abort();
        Assert.Throws<InvalidOperationException>(() => open.Writer.Abort());
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void ClaimingItemsWithoutAByteLayoutNamesTheType(Transport transport)
    {
        using var open = new OpenBuffer<List<int>>(transport);

        var error = Assert.Throws<InvalidOperationException>(() => open.Writer.TryClaim(4, out _));
        Assert.StartsWith("Cannot claim items of type List<Int32> as bytes", error.Message);
    }

    [Fact]
    public void AClaimLargerThanTheRingsLargestMessageNamesBothSizes()
    {
        using var open = new OpenBuffer<byte[]>(Transport.SharedMemory, capacityBytes: 4096);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => open.Writer.TryClaim(5000, out _));
        Assert.Contains("an item of 5000 bytes exceeds the largest item of 2032 bytes", error.Message);
    }

    [Fact]
    public async Task InProcessABroadcastClaimWaitsForTheSlowestReader()
    {
        var buffer = new PumaBuffer<byte[]>("fan", 2, BufferMode.Broadcast);
        var fast = buffer.AddReader();
        var slow = buffer.AddReader();
        var writer = buffer.Writer;
        buffer.OpenInProcess();
        Assert.True(writer.TryWrite([1]));
        Assert.True(writer.TryWrite([2]));
        Assert.True(fast.TryRead(out _));
        Assert.True(fast.TryRead(out _));

        Assert.False(writer.TryClaim(1, out _)); // the slow reader still holds two items
        var claim = writer.ClaimAsync(1).AsTask();
        await Task.Delay(200);
        Assert.False(claim.IsCompleted);
        Assert.True(slow.TryRead(out _));
        var memory = await claim.WaitAsync(Generous);
        memory.Span[0] = 3;
        writer.Commit();
        Assert.True(fast.TryRead(out var third));
        Assert.Equal([3], third);
    }

    [Fact]
    public void InProcessAClaimedMemoryOwnerComesFromThePoolAndAnAbortedOneGoesBack()
    {
        using var open = new OpenBuffer<IMemoryOwner<byte>>(Transport.InProcess);

        Assert.True(open.Writer.TryClaim(3, out var span));
        span.Fill(7);
        open.Writer.Commit();
        Assert.True(open.Reader.TryRead(out var owner));
        Assert.Equal([7, 7, 7], owner.Memory.ToArray());
        Assert.True(MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment));
        Assert.Equal(16, segment.Array!.Length); // ArrayPool's smallest bucket: rented, not allocated exactly
        owner.Dispose();
    }
}
