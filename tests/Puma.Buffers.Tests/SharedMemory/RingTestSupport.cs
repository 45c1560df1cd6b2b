using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

internal static class RingTestSupport
{
    public static SharedMemoryRing Create(long capacity = 4096, BufferMode mode = BufferMode.ManyToOne, int readers = 1, int writers = 1) =>
        SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = capacity, Mode = mode, Readers = readers, Writers = writers });

    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
}
