using System.Buffers;
using System.Runtime.InteropServices;
using static Puma.Buffers.Tests.Leases.LeaseTestSupport;

namespace Puma.Buffers.Tests.Leases;

public class ItemLeaseTests
{
    public static TheoryData<Transport> AllTransports => Transports;

    [Theory]
    [MemberData(nameof(AllTransports))]
    public async Task ALeasedReadSeesTheExactBytesInOrder(Transport transport)
    {
        using var open = new OpenBuffer<byte[]>(transport);
        var consumer = Task.Run(async () =>
        {
            var seen = new List<byte[]>();
            while (await open.Reader.WaitToReadAsync())
            {
                while (open.Reader.TryLease(out var lease))
                {
                    using (lease)
                        seen.Add(lease.Span.ToArray());
                }
            }
            return seen;
        });
        for (var n = 0; n < 200; n++)
            await open.Writer.WriteAsync(Payload(n, 100 + n));
        open.Writer.Complete();

        var items = await consumer.WaitAsync(Generous);
        Assert.Equal(200, items.Count);
        for (var n = 0; n < 200; n++)
            Assert.Equal(Payload(n, 100 + n), items[n]);
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void ArraysOfStructsAreLeasedAsTheirElementsBytes(Transport transport)
    {
        using var open = new OpenBuffer<int[]>(transport);
        Assert.True(open.Writer.TryWrite([1, -2, 300_000]));

        Assert.True(open.Reader.TryLease(out var lease));
        using (lease)
        {
            Assert.Equal(12, lease.Length);
            Assert.Equal([1, -2, 300_000], lease.As<int>().ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void StructsAndReadOnlyMemoryAreLeasedAsTheirBytes(Transport transport)
    {
        using var structs = new OpenBuffer<Sample>(transport);
        using var memories = new OpenBuffer<ReadOnlyMemory<byte>>(transport);
        Assert.True(structs.Writer.TryWrite(new Sample(7, 2.5)));
        Assert.True(memories.Writer.TryWrite(new byte[] { 9, 8, 7, 6, 5 }.AsMemory(1, 3)));

        Assert.True(structs.Reader.TryLease(out var sample));
        using (sample)
            Assert.Equal(new Sample(7, 2.5), MemoryMarshal.Read<Sample>(sample.Span));
        Assert.True(memories.Reader.TryLease(out var memory));
        using (memory)
            Assert.Equal([8, 7, 6], memory.Span.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void ANullItemIsLeasedAsZeroBytes(Transport transport)
    {
        using var open = new OpenBuffer<byte[]>(transport);
        Assert.True(open.Writer.TryWrite(null!));

        Assert.True(open.Reader.TryLease(out var lease));
        Assert.Equal(0, lease.Length);
        lease.Dispose();
        Assert.False(open.Reader.TryLease(out _));
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void OneLeaseAtATimeAndDisposingTwiceDoesNothing(Transport transport)
    {
        using var open = new OpenBuffer<byte[]>(transport);
        for (var n = 0; n < 3; n++)
            Assert.True(open.Writer.TryWrite(Payload(n, 8)));

        Assert.True(open.Reader.TryLease(out var first));
        var error = Assert.Throws<InvalidOperationException>(() => open.Reader.TryLease(out _));
        Assert.Contains("the previous lease is still held", error.Message);
        first.Dispose();
        Assert.True(open.Reader.TryLease(out var second));
        first.Dispose(); // stale: must not end the second lease
        Assert.Throws<InvalidOperationException>(() => open.Reader.TryLease(out _));
        Assert.Equal(Payload(1, 8), second.Span.ToArray());
        second.Dispose();
        second.Dispose();
        Assert.True(open.Reader.TryLease(out var third));
        using (third)
            Assert.Equal(Payload(2, 8), third.Span.ToArray());
        default(ItemLease).Dispose();
    }

    [Fact]
    public async Task ARecordsSpaceIsNotReusedWhileItsLeaseIsHeld()
    {
        // 4 KiB ring: 1000-byte items, so three fill it and a fourth waits for the first one's space.
        using var open = new OpenBuffer<byte[]>(Transport.SharedMemory, capacityBytes: 4096);
        var written = 0;
        while (open.Writer.TryWrite(Payload(written, 1000)))
            written++;
        Assert.InRange(written, 2, 4);
        var waiting = open.Writer.WriteAsync(Payload(written, 1000)).AsTask();

        Assert.True(open.Reader.TryLease(out var lease));
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted); // the leased record still holds its space
        Assert.Equal(Payload(0, 1000), lease.Span.ToArray());

        lease.Dispose();
        await waiting.WaitAsync(Generous);
        for (var n = 1; n <= written; n++)
        {
            Assert.True(open.Reader.TryLease(out var next));
            using (next)
                Assert.Equal(Payload(n, 1000), next.Span.ToArray());
        }
    }

    [Fact]
    public void InProcessALeasedMemoryOwnerIsTheWrittenOneAndIsDisposedWhenTheLeaseEnds()
    {
        using var open = new OpenBuffer<IMemoryOwner<byte>>(Transport.InProcess);
        var owner = new TrackedOwner([1, 2, 3]);
        Assert.True(open.Writer.TryWrite(owner));

        Assert.True(open.Reader.TryLease(out var lease));
        Assert.Equal([1, 2, 3], lease.Span.ToArray());
        Assert.False(owner.Disposed);
        lease.Dispose();
        Assert.True(owner.Disposed);
    }

    [Theory]
    [MemberData(nameof(AllTransports))]
    public void LeasingItemsWithoutAByteLayoutNamesTheType(Transport transport)
    {
        using var open = new OpenBuffer<string>(transport);
        Assert.True(open.Writer.TryWrite("text"));

        var error = Assert.Throws<InvalidOperationException>(() => open.Reader.TryLease(out _));
        Assert.StartsWith("Cannot lease items of type String as bytes", error.Message);
        Assert.True(open.Reader.TryRead(out var item)); // the item is still there for a plain read
        Assert.Equal("text", item);
    }

    [Fact]
    public void ThePortExtensionsRefuseChannelsThatAreNotPumaPorts()
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();

        var lease = Assert.Throws<InvalidOperationException>(() => channel.Reader.TryLease(out _));
        var claim = Assert.Throws<InvalidOperationException>(() => channel.Writer.TryClaim(4, out _));
        Assert.Contains("a UnboundedChannelReader cannot lend its items", lease.Message);
        Assert.Contains("a UnboundedChannelWriter cannot be written in place", claim.Message);
    }
}

public readonly record struct Sample(int Id, double Value);

/// <summary>An owner that records its disposal.</summary>
internal sealed class TrackedOwner(byte[] bytes) : IMemoryOwner<byte>
{
    public bool Disposed { get; private set; }

    public Memory<byte> Memory => bytes;

    public void Dispose() => Disposed = true;
}
