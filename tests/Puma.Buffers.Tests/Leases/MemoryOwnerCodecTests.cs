using System.Buffers;
using System.Runtime.InteropServices;
using Puma.Buffers.Codecs;
using static Puma.Buffers.Tests.Leases.LeaseTestSupport;

namespace Puma.Buffers.Tests.Leases;

public class MemoryOwnerCodecTests
{
    [Fact]
    public void TheResolverPicksTheMemoryOwnerCodec() =>
        Assert.IsType<MemoryOwnerCodec>(CodecResolver.Resolve<IMemoryOwner<byte>>());

    [Fact]
    public void EncodingCopiesTheBytesThenDisposesTheOwner()
    {
        var codec = new MemoryOwnerCodec();
        var owner = new TrackedOwner([5, 6, 7]);
        Assert.True(codec.TryGetByteCount(owner, out var count));
        Assert.Equal(3, count);

        var destination = new byte[3];
        codec.Encode(owner, destination);
        Assert.Equal([5, 6, 7], destination);
        Assert.True(owner.Disposed);
    }

    [Fact]
    public void AcrossSharedMemoryOwnersRoundTripAndTheReadersOwnersComeFromThePool()
    {
        using var open = new OpenBuffer<IMemoryOwner<byte>>(Transport.SharedMemory);
        var written = new TrackedOwner(Payload(1, 3000));
        Assert.True(open.Writer.TryWrite(written));
        Assert.True(written.Disposed); // the buffer owns an owner once it is written

        Assert.True(open.Reader.TryRead(out var read));
        Assert.Equal(Payload(1, 3000), read.Memory.ToArray());
        Assert.True(MemoryMarshal.TryGetArray<byte>(read.Memory, out var segment));
        Assert.Equal(4096, segment.Array!.Length); // rented from ArrayPool<byte>.Shared (power-of-two buckets), sliced to 3000
        read.Dispose();
        // Given back: the shared pool hands this thread the same array next.
        var again = ArrayPool<byte>.Shared.Rent(3000);
        Assert.Same(segment.Array, again);
        ArrayPool<byte>.Shared.Return(again);
    }

    [Fact]
    public void InProcessTheOwnerItselfIsHandedOver()
    {
        using var open = new OpenBuffer<IMemoryOwner<byte>>(Transport.InProcess);
        var written = new TrackedOwner([1, 2]);
        Assert.True(open.Writer.TryWrite(written));

        Assert.True(open.Reader.TryRead(out var read));
        Assert.Same(written, read);
        Assert.False(written.Disposed);
    }

    [Fact]
    public void AWriteThatFindsNoRoomLeavesTheOwnerWithTheCaller()
    {
        using var open = new OpenBuffer<IMemoryOwner<byte>>(Transport.SharedMemory, capacityBytes: 4096);
        while (open.Writer.TryWrite(new TrackedOwner(new byte[1000])))
        {
        }

        var refused = new TrackedOwner(new byte[1000]);
        Assert.False(open.Writer.TryWrite(refused));
        Assert.False(refused.Disposed);
    }
}
