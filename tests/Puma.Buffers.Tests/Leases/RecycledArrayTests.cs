using System.Runtime.InteropServices;

namespace Puma.Buffers.Tests.Leases;

/// <summary>In process, large arrays made by claims come back through leases, and only those.</summary>
public class RecycledArrayTests
{
    private const int Large = 100_000;

    private static byte[] ArrayOf(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not an array");

    private static void ClaimAndCommit(BufferWriter<byte[]> writer, byte fill)
    {
        Assert.True(writer.TryClaim(Large, out var span));
        span.Fill(fill);
        writer.Commit();
    }

    [Fact]
    public void AClaimedArrayWhoseLeaseEndedIsTheNextClaimsArray()
    {
        using var open = new OpenBuffer<byte[]>(Transport.InProcess);
        ClaimAndCommit(open.Writer, 1);
        Assert.True(open.Reader.TryLease(out var lease));
        var first = ArrayOf(lease.Memory);
        lease.Dispose();

        ClaimAndCommit(open.Writer, 2);
        Assert.True(open.Reader.TryRead(out var second));
        Assert.Same(first, second);
        Assert.All(second, b => Assert.Equal(2, b));
    }

    [Fact]
    public void AnArrayReadWithTryReadStaysWithTheReader()
    {
        using var open = new OpenBuffer<byte[]>(Transport.InProcess);
        ClaimAndCommit(open.Writer, 1);
        Assert.True(open.Reader.TryRead(out var kept));

        ClaimAndCommit(open.Writer, 2);
        Assert.True(open.Reader.TryRead(out var next));
        Assert.NotSame(kept, next);
        Assert.All(kept, b => Assert.Equal(1, b));
    }

    [Fact]
    public void AnArrayWrittenWithTryWriteIsNeverRecycled()
    {
        using var open = new OpenBuffer<byte[]>(Transport.InProcess);
        var mine = new byte[Large];
        Assert.True(open.Writer.TryWrite(mine));
        Assert.True(open.Reader.TryLease(out var lease));
        lease.Dispose();

        ClaimAndCommit(open.Writer, 3);
        Assert.True(open.Reader.TryRead(out var claimed));
        Assert.NotSame(mine, claimed);
        Assert.All(mine, b => Assert.Equal(0, b));
    }

    [Fact]
    public void ABroadcastBufferDoesNotRecycle()
    {
        var buffer = new PumaBuffer<byte[]>("fan", 4, BufferMode.Broadcast);
        var a = buffer.AddReader();
        var b = buffer.AddReader();
        var writer = buffer.Writer;
        buffer.OpenInProcess();
        ClaimAndCommit(writer, 1);
        Assert.True(a.TryLease(out var lease));
        var first = ArrayOf(lease.Memory);
        lease.Dispose();

        ClaimAndCommit(writer, 2);
        Assert.True(b.TryRead(out var sharedFirst));
        Assert.Same(first, sharedFirst);
        Assert.All(sharedFirst, x => Assert.Equal(1, x)); // reader b still sees item 1 intact
    }
}
