using NetMQ;

namespace Puma.Bench.Transports.NetMq;

/// <summary>
/// NetMQ's process-wide state for the links of this process: the first lease switches message
/// buffers to NetMQ's pooled buffer manager (its documented way to avoid an allocation per frame:
/// a 1 MiB frame would otherwise be a new large-object array); the last lease returned calls
/// <see cref="NetMQConfig.Cleanup(bool)"/> without blocking, so that no NetMQ thread outlives the
/// links (a child exits as soon as its case ends). Leases are counted because a broadcast opens
/// one link per child, and terminating the context blocks while any socket of it is still open.
/// </summary>
internal static class NetMqLibrary
{
    /// <summary>The largest frame the buffer pool keeps: the biggest message of the benches (1 MiB and a pipeline record's header).</summary>
    private const int MaxPooledFrame = (1 << 20) + 64;

    /// <summary>The memory the buffer pool keeps at most.</summary>
    private const long MaxPoolBytes = 256L << 20;

    private static readonly Lock Gate = new();
    private static int s_leases;

    /// <summary>Takes a lease on NetMQ (its context and buffer pool); dispose it after the sockets.</summary>
    public static IDisposable Acquire()
    {
        lock (Gate)
        {
            if (s_leases++ == 0) BufferPool.SetBufferManagerBufferPool(MaxPoolBytes, MaxPooledFrame);
        }
        return new Lease();
    }

    private static void Release()
    {
        lock (Gate)
        {
            if (--s_leases > 0) return;
            NetMQConfig.Cleanup(block: false);
            BufferPool.SetGCBufferPool();
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
