namespace Puma.Buffers.SharedMemory;

// Writer references and the writer process table.
public sealed unsafe partial class SharedMemoryRing
{
    /// <summary>
    /// Slow-path check for a parked reader: throws when a process that still holds writer
    /// references has died, since the ring can then never complete normally.
    /// </summary>
    internal void CheckWritersAlive()
    {
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            int pid = Volatile.Read(ref table[2 * i]);
            int references = Volatile.Read(ref table[2 * i + 1]);
            if (pid != 0 && references > 0 && !ProcessLiveness.IsAlive(pid))
                throw new PeerProcessDiedException($"Writer process {pid} of ring '{Name}' died holding {references} writer reference(s) without completing the ring.", pid);
        }
    }

    /// <summary>Takes one writer reference for this process.</summary>
    internal void AcquireWriterReference()
    {
        int* claimed = (int*)(_base + RingLayout.WritersClaimedOffset);
        if (Interlocked.Increment(ref *claimed) > Writers)
        {
            Interlocked.Decrement(ref *claimed);
            throw new InvalidOperationException($"Ring '{Name}' was created with {Writers} writer reference(s) and all are taken; create it with a larger Writers.");
        }
        int pid = Environment.ProcessId;
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            int current = Volatile.Read(ref table[2 * i]);
            if (current == pid || (current == 0 && Interlocked.CompareExchange(ref table[2 * i], pid, 0) == 0) || Volatile.Read(ref table[2 * i]) == pid)
            {
                Interlocked.Increment(ref table[2 * i + 1]);
                return;
            }
        }
        Interlocked.Decrement(ref *claimed);
        throw new InvalidOperationException($"Ring '{Name}' already has writers in {RingLayout.WriterTableEntries} processes, the limit.");
    }

    /// <summary>Gives one writer reference of this process back to the pool, without releasing it (a restart takes it again).</summary>
    internal void ReturnWriterReference()
    {
        int pid = Environment.ProcessId;
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            if (Volatile.Read(ref table[2 * i]) == pid)
            {
                Interlocked.Decrement(ref table[2 * i + 1]);
                break;
            }
        }
        Interlocked.Decrement(ref *(int*)(_base + RingLayout.WritersClaimedOffset));
    }

    /// <summary>Returns one writer reference; the last one completes the ring normally.</summary>
    internal void ReleaseWriterReference()
    {
        int pid = Environment.ProcessId;
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            if (Volatile.Read(ref table[2 * i]) == pid)
            {
                Interlocked.Decrement(ref table[2 * i + 1]);
                break;
            }
        }
        if (Interlocked.Decrement(ref *(int*)(_base + RingLayout.WritersRemainingOffset)) == 0) TryComplete(null);
    }
}
