using NetMQ;

namespace Puma.Bench.Transports.NetMq;

/// <summary>
/// NetMQ's process-wide state for the links of this process: the last lease returned calls
/// <see cref="NetMQConfig.Cleanup(bool)"/> without blocking, so that no NetMQ thread outlives the
/// links (a child exits as soon as its case ends; every case knows its last message arrived
/// before it closes). Leases are counted because a broadcast opens one link per child, and
/// terminating the context blocks while any socket of it is still open.
/// Message buffers stay with NetMQ's default <see cref="GCBufferPool"/>: its pooled alternative
/// (<see cref="BufferPool.SetBufferManagerBufferPool(long, int)"/>) measured about half the
/// throughput for 64 B frames and less for 1 MiB ones.
/// </summary>
internal static class NetMqLibrary
{
    private static readonly Lock Gate = new();
    private static int s_leases;

    /// <summary>Takes a lease on NetMQ's context; dispose it after the sockets.</summary>
    public static IDisposable Acquire()
    {
        lock (Gate) s_leases++;
        return new Lease();
    }

    private static void Release()
    {
        lock (Gate)
        {
            if (--s_leases == 0) NetMQConfig.Cleanup(block: false);
        }
    }

    private sealed class Lease : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Release();
        }
    }
}
