using System.Text;

namespace Puma.Buffers.SharedMemory;

// Reader slots: the slowest reader, dead readers, competing release frontier.
public sealed unsafe partial class SharedMemoryRing
{
    /// <summary>
    /// The oldest position still needed by a live reader (pending slots count as live), or -1 when
    /// no reader is pending or attached. Dead readers are skipped once detected.
    /// </summary>
    /// <exception cref="BufferCorruptedException">A slot's state is not a defined one (the writer could not tell whether to wait for it).</exception>
    internal long MinReaderPosition()
    {
        if (Mode == BufferMode.Competing)
        {
            for (var slot = 0; slot < Readers; slot++)
            {
                var state = Volatile.Read(ref *SlotStateWord(slot));
                if (SlotState.IsLive(state)) return Volatile.Read(ref *ReleaseCursor);
                if (!SlotState.IsDefined(state)) throw SlotStateCorrupt(slot, state);
            }
            return -1;
        }
        var min = long.MaxValue;
        for (var slot = 0; slot < Readers; slot++)
        {
            var state = Volatile.Read(ref *SlotStateWord(slot));
            if (SlotState.IsLive(state)) min = Math.Min(min, Volatile.Read(ref *SlotCursor(slot)));
            else if (!SlotState.IsDefined(state)) throw SlotStateCorrupt(slot, state);
        }
        return min == long.MaxValue ? -1 : min;
    }

    private BufferCorruptedException SlotStateCorrupt(int slot, int state) =>
        Corrupt($"reader slot {slot} state {state} is not one of {SlotState.Names}");

    /// <summary>
    /// Slow-path check for a blocked writer: marks readers whose process died as dead, frees a
    /// competing record claimed by a dead reader, and throws when no reader is left.
    /// </summary>
    internal void CheckReadersAlive()
    {
        var anyLive = false;
        for (var slot = 0; slot < Readers; slot++)
        {
            var stateWord = SlotStateWord(slot);
            var state = Volatile.Read(ref *stateWord);
            if (state == SlotState.Attached && !ProcessLiveness.IsAlive(Volatile.Read(ref *SlotPid(slot))))
            {
                Interlocked.CompareExchange(ref *stateWord, SlotState.Dead, SlotState.Attached);
                state = Volatile.Read(ref *stateWord);
                // A reader killed while parked left its count in the data waiters: take it back,
                // or every later commit would make a wake-up syscall for nobody.
                if (Interlocked.Exchange(ref *SlotParked(slot), 0) == 1) Interlocked.Decrement(ref *DataWaiters);
            }
            if (SlotState.IsLive(state)) anyLive = true;
        }
        if (!anyLive)
        {
            var states = new StringBuilder();
            for (var slot = 0; slot < Readers; slot++)
            {
                if (slot > 0) states.Append(", ");
                states.Append("slot ").Append(slot).Append(": ").Append(SlotState.Name(Volatile.Read(ref *SlotStateWord(slot))))
                    .Append(" (pid ").Append(Volatile.Read(ref *SlotPid(slot))).Append(')');
            }
            throw new PeerProcessDiedException($"Ring '{Name}' has no live reader left to make room ({states}).", Readers == 1 ? Volatile.Read(ref *SlotPid(0)) : 0);
        }
        if (Mode == BufferMode.Competing) ReleaseRecordsOfDeadClaimers();
    }

    private void ReleaseRecordsOfDeadClaimers()
    {
        var release = Volatile.Read(ref *ReleaseCursor);
        if (Volatile.Read(ref *ClaimCursor) <= release) return;
        bool claimedByLive = false, claimedByDead = false;
        for (var slot = 0; slot < Readers; slot++)
        {
            if (Volatile.Read(ref *SlotClaimed(slot)) != release) continue;
            var state = Volatile.Read(ref *SlotStateWord(slot));
            if (state == SlotState.Attached) claimedByLive = true;
            else claimedByDead = true;
        }
        if (claimedByDead && !claimedByLive)
        {
            var offset = Offset(release);
            if (Capacity - offset >= RingLayout.RecordHeaderBytes)
            {
                var record = Data + offset;
                if (Volatile.Read(ref *(long*)record) == RingLayout.Tag(release))
                    Interlocked.Or(ref *(int*)(record + RingLayout.RecordKindOffset), RingLayout.FlagReleased);
            }
            AdvanceReleaseCursor();
            SignalSpace();
        }
    }

    /// <summary>Moves the competing readers' release frontier past every released or padding record.</summary>
    /// <exception cref="BufferCorruptedException">The record at the frontier, claimed and so still intact, is not a valid record.</exception>
    internal void AdvanceReleaseCursor()
    {
        while (true)
        {
            var release = Volatile.Read(ref *ReleaseCursor);
            if (release >= Volatile.Read(ref *ClaimCursor)) return;
            var offset = Offset(release);
            var tail = Capacity - offset;
            long next;
            if (tail < RingLayout.RecordHeaderBytes)
            {
                next = release + tail;
            }
            else
            {
                var record = Data + offset;
                var tag = Volatile.Read(ref *(long*)record);
                var kind = Volatile.Read(ref *(int*)(record + RingLayout.RecordKindOffset));
                var length = *(int*)(record + RingLayout.RecordLengthOffset);
                if (tag != RingLayout.Tag(release) || (kind & RingLayout.KindMask) is not (RingLayout.KindData or RingLayout.KindPadding)
                    || length < 0 || RingLayout.RecordBytes(length) > tail)
                {
                    // Every record below the claim cursor was claimed intact, and no writer reuses
                    // its space before the frontier passes it: if the frontier did not move while
                    // the record was read, what was read is what the ring holds.
                    if (Volatile.Read(ref *ReleaseCursor) != release) continue;
                    throw Corrupt($"the claimed record at the competing release cursor {release} has tag {tag} (expected {RingLayout.Tag(release)}), " +
                        $"kind {kind & RingLayout.KindMask} (data {RingLayout.KindData} or padding {RingLayout.KindPadding}) and length {length} (0..{tail - RingLayout.RecordHeaderBytes})");
                }
                if ((kind & RingLayout.KindMask) != RingLayout.KindPadding && (kind & RingLayout.FlagReleased) == 0) return;
                next = release + RingLayout.RecordBytes(length);
            }
            Interlocked.CompareExchange(ref *ReleaseCursor, next, release);
        }
    }

    /// <summary>
    /// Closes a reader slot that is pending (never opened, or handed back by <see cref="RingReader.Detach"/>):
    /// writers stop keeping its items. Returns false when the slot is not pending.
    /// </summary>
    /// <param name="slot">The reader slot.</param>
    public bool CloseSlot(int slot)
    {
        ThrowIfDisposed();
        if ((uint)slot >= (uint)Readers)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Reader slot {slot} is outside 0..{Readers - 1} (ring '{Name}' has {Readers} slot(s)).");
        if (Interlocked.CompareExchange(ref *SlotStateWord(slot), SlotState.Closed, SlotState.Pending) != SlotState.Pending)
            return false;
        SignalSpace();
        return true;
    }
}
