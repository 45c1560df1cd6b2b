using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.Leases.LeaseTestSupport;

namespace Puma.Buffers.Tests.Leases;

/// <summary>Leases and claims over rings in the competing and broadcast modes (their release paths differ).</summary>
public class RingModeLeaseTests
{
    [Fact]
    public void CompetingReadersLeaseEachItemOnceAndReleasingFreesItsSpace()
    {
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Mode = BufferMode.Competing, Readers = 1 });
        var buffer = new PumaBuffer<byte[]>("work", 4, BufferMode.Competing, capacityBytes: 4096);
        var reader = buffer.Reader;
        var writer = buffer.Writer;
        buffer.OpenSharedMemory(ring, [0]);

        var seen = new List<byte[]>();
        for (var n = 0; n < 20; n++)
        {
            // 1000-byte items in a 4 KiB ring: without the releases the writer would run out of room by the third.
            Assert.True(writer.TryClaim(1000, out var span));
            Payload(n, 1000).CopyTo(span);
            writer.Commit();
            Assert.True(reader.TryLease(out var lease));
            using (lease)
                seen.Add(lease.Span.ToArray());
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(n => Payload(n, 1000)), seen);
        Assert.False(reader.TryLease(out _));
    }

    [Fact]
    public void EveryBroadcastReaderLeasesEveryItem()
    {
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 8192, Mode = BufferMode.Broadcast, Readers = 2 });
        var buffer = new PumaBuffer<int[]>("fan", 4, BufferMode.Broadcast, capacityBytes: 8192);
        var first = buffer.AddReader();
        var second = buffer.AddReader();
        var writer = buffer.Writer;
        buffer.OpenSharedMemory(ring, [0, 1]);

        for (var n = 0; n < 3; n++)
            Assert.True(writer.TryWrite([n, n * 10]));
        foreach (var reader in new[] { first, second })
        {
            for (var n = 0; n < 3; n++)
            {
                Assert.True(reader.TryLease(out var lease));
                using (lease)
                    Assert.Equal([n, n * 10], lease.As<int>().ToArray());
            }
            Assert.False(reader.TryLease(out _));
        }
    }
}
