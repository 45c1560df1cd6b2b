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
        var table = WriterTable;
        for (var i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            var pid = Volatile.Read(ref table[2 * i]);
            var references = Volatile.Read(ref table[2 * i + 1]);
            if (pid != 0 && references > 0 && !ProcessLiveness.IsAlive(pid))
                throw new PeerProcessDiedException($"Writer process {pid} of ring '{Name}' died holding {references} writer reference(s) without completing the ring.", pid);
        }
    }

    /// <summary>Takes one writer reference for this process.</summary>
    internal void AcquireWriterReference()
    {
        var claimed = WritersTaken;
        // A compare-and-swap rather than increment-then-undo, so the count never exceeds Writers,
        // even for an instant: validation can then treat any larger value as corrupt.
        while (true)
        {
            var taken = Volatile.Read(ref *claimed);
            if ((uint)taken > (uint)Writers) throw Corrupt($"writers taken {taken} is outside 0..{Writers} (the ring's writer references)");
            if (taken == Writers)
                throw new InvalidOperationException($"Ring '{Name}' was created with {Writers} writer reference(s) and all are taken; create it with a larger Writers.");
            if (Interlocked.CompareExchange(ref *claimed, taken + 1, taken) == taken) break;
        }
        var pid = Environment.ProcessId;
        var table = WriterTable;
        for (var i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            var current = Volatile.Read(ref table[2 * i]);
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
        DecrementOwnWriterEntry();
        Interlocked.Decrement(ref *WritersTaken);
    }

    /// <summary>Takes one reference off this process's entry in the writer table.</summary>
    private void DecrementOwnWriterEntry()
    {
        var pid = Environment.ProcessId;
        var table = WriterTable;
        for (var i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            if (Volatile.Read(ref table[2 * i]) == pid)
            {
                Interlocked.Decrement(ref table[2 * i + 1]);
                return;
            }
        }
    }

    /// <summary>Returns one writer reference; the last one completes the ring normally.</summary>
    internal void ReleaseWriterReference()
    {
        DecrementOwnWriterEntry();
        // Only from the open state: this runs on dispose, which must not throw for a corrupt state
        // word (the ends' next operations and waits report that).
        if (Interlocked.Decrement(ref *WritersRemaining) == 0 && State == RingState.Open) TryComplete(null);
    }
}
