namespace Puma.Buffers.SharedMemory;

// How full the ring is, for the runtime's metrics.
public sealed unsafe partial class SharedMemoryRing
{
    /// <summary>
    /// The share of the ring's bytes that written records hold and the slowest live reader has not released yet:
    /// 0 (empty, no live reader, or unmapped) to 1 (full).
    /// </summary>
    internal double FillLevel()
    {
        if (IsUnmapped || IsDisposed)
            return 0;
        var oldest = MinReaderPosition();
        if (oldest < 0)
            return 0;
        var used = Volatile.Read(ref *ReserveCursor) - oldest;
        return Math.Clamp((double)used / CapacityBytes, 0, 1);
    }
}
