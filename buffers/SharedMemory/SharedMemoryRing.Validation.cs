using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Puma.Buffers.SharedMemory;

// Validation of what shared memory holds. Any process of the same user can write any value into
// the segment, so every value read from it is checked against what is possible, and an impossible
// one is a BufferCorruptedException naming the field, the value and the limit. The checks run at
// the slow points (attach, opening an end, every park slice, completion, a writer's look at the
// readers' cursors), never per message beyond a compare or two.
public sealed unsafe partial class SharedMemoryRing
{
    /// <summary>
    /// How long a state that is only impossible when it lasts (a record missing below the reserve
    /// cursor, a completion with an error that never finishes) may be seen before it is reported.
    /// The legitimate windows are a few instructions long.
    /// </summary>
    internal static readonly TimeSpan StuckLimit = TimeSpan.FromSeconds(1);

    internal BufferCorruptedException Corrupt(string what) => new($"Ring '{Name}': {what}.");

    /// <summary>
    /// The furthest a reader position can be for this reserve cursor: the reserve cursor itself, or
    /// the start of the next lap when fewer than a record header's bytes remain before the end of
    /// the ring (readers skip that tail without waiting for a writer to reserve it).
    /// </summary>
    internal long ReaderLimit(long reserve)
    {
        var tail = Capacity - Offset(reserve);
        return tail < RingLayout.RecordHeaderBytes ? reserve + tail : reserve;
    }

    /// <summary>Throws when <paramref name="state"/> is not one of the defined ring states.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ThrowIfStateInvalid(int state)
    {
        if (!RingState.IsDefined(state)) ThrowStateInvalid(state);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowStateInvalid(int state) => throw StateCorrupt(state);

    internal BufferCorruptedException StateCorrupt(int state) => Corrupt($"state {state} is not one of {RingState.Names}");

    /// <summary>
    /// Throws when the slowest reader's cursor <paramref name="min"/>, found ahead of a writer's
    /// reserve position, is also ahead of the reserve cursor read now (a writer trusting it would
    /// overwrite unread records).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void ThrowIfReaderAhead(long min)
    {
        // The cursors were read before this read of the reserve cursor, and a reader never passes
        // the reserve cursor as the writer calling this sees it (a single writer made every store of it;
        // several move it when they claim), so a legitimate min is at most this value.
        var reserve = Volatile.Read(ref *ReserveCursor);
        if (min > ReaderLimit(reserve))
            throw Corrupt($"the slowest reader cursor {min} is ahead of the reserve cursor {reserve}, where no record was written yet");
    }

    /// <summary>
    /// Checks every shared word that any process can check without knowing its own position:
    /// the state, the writer counts and table, the reader slots, the waiter counts and the
    /// cursors. Runs on attach, when an end opens and at every park slice.
    /// </summary>
    internal void ValidateShared()
    {
        var state = State;
        ThrowIfStateInvalid(state);
        ValidateWriterCounts(state);
        ValidateSlots();
        int dataWaiters = Volatile.Read(ref *DataWaiters), spaceWaiters = Volatile.Read(ref *SpaceWaiters);
        if (dataWaiters < 0) throw Corrupt($"data waiter count {dataWaiters} is negative");
        if (spaceWaiters < 0) throw Corrupt($"space waiter count {spaceWaiters} is negative");
        ValidateCursors();
    }

    private void ValidateWriterCounts(int state)
    {
        // Why this order: remaining is read before taken. A reference is always taken before it is
        // released, so every release the first read counts was taken before the second read.
        var remaining = Volatile.Read(ref *WritersRemaining);
        if ((uint)remaining > (uint)Writers)
            throw Corrupt($"writers remaining {remaining} is outside 0..{Writers} (the ring's writer references)");
        var taken = Volatile.Read(ref *WritersTaken);
        if ((uint)taken > (uint)Writers)
            throw Corrupt($"writers taken {taken} is outside 0..{Writers} (the ring's writer references)");
        if (Writers - remaining > taken)
            throw Corrupt($"writers remaining {remaining} means {Writers - remaining} of {Writers} writer reference(s) were released, but only {taken} were ever taken");
        var table = WriterTable;
        for (var i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            // Why this order: a process's pid is stored before its count first grows and is never
            // cleared, so a count read first never goes with a pid read later that is still 0.
            var references = Volatile.Read(ref table[2 * i + 1]);
            var pid = Volatile.Read(ref table[2 * i]);
            if ((uint)references > (uint)Writers)
                throw Corrupt($"writer table entry {i} (pid {pid}) holds {references} writer reference(s), outside 0..{Writers}");
            if (pid < 0 || (pid == 0 && references != 0))
                throw Corrupt($"writer table entry {i} pid {pid} is not a process id (holding {references} writer reference(s))");
        }
        // Every reference released but the ring still open: the last releaser died between its
        // release and the completion (or was corrupted there). Completing is what it was doing.
        if (remaining == 0 && state == RingState.Open) TryComplete(null);
    }

    private void ValidateSlots()
    {
        for (var slot = 0; slot < Readers; slot++)
        {
            var state = Volatile.Read(ref *SlotStateWord(slot));
            if (!SlotState.IsDefined(state)) throw SlotStateCorrupt(slot, state);
            // Why after the state: a reader stores its pid before it marks the slot attached.
            var pid = Volatile.Read(ref *SlotPid(slot));
            if (pid < 0 || (pid == 0 && state == SlotState.Attached))
                throw Corrupt($"reader slot {slot} pid {pid} is not the process id of a reader ({SlotState.Name(state)})");
            var parked = Volatile.Read(ref *SlotParked(slot));
            if ((uint)parked > 1)
                throw Corrupt($"reader slot {slot} parked flag {parked} is outside 0..1");
            var claimed = Volatile.Read(ref *SlotClaimed(slot));
            var reserve = Volatile.Read(ref *ReserveCursor);
            // A record behind a batch's head, claimed in the instant the only writer published the batch (see CheckCursor).
            if (claimed > reserve && claimed - reserve < Capacity && ReserveCatchesUp(claimed))
                reserve = Volatile.Read(ref *ReserveCursor);
            if (claimed < -1 || claimed > reserve)
                throw Corrupt($"reader slot {slot} claimed position {claimed} is outside -1..{reserve} (the reserve cursor)");
        }
    }

    /// <summary>
    /// Bounds-checks the cursors of a ring that may be in use: each cursor is read before the
    /// reserve cursor (cursors only grow, so a later reserve cursor is never behind), and the
    /// distance check only uses a cursor that did not move while the reserve cursor was read.
    /// </summary>
    private void ValidateCursors()
    {
        var reserve = Volatile.Read(ref *ReserveCursor);
        if (reserve < 0 || (reserve & 7) != 0)
            throw Corrupt($"reserve cursor {reserve} is negative or not a multiple of 8");
        if (Mode == BufferMode.Competing)
        {
            // Why this order: release, then claim, then reserve; each is at most the next one at any
            // instant and they only grow, so values read in this order keep that order.
            var release = Volatile.Read(ref *ReleaseCursor);
            var claim = Volatile.Read(ref *ClaimCursor);
            if (release > claim)
                throw Corrupt($"competing release cursor {release} is ahead of the claim cursor {claim}");
            CheckCursor("competing claim cursor", ClaimCursor, checkDistance: false);
            CheckCursor("competing release cursor", ReleaseCursor, checkDistance: true);
            return; // competing readers share the claim and release cursors: the slot cursors are unused
        }
        for (var slot = 0; slot < Readers; slot++)
            CheckCursor($"reader {slot} cursor", SlotCursor(slot), checkDistance: SlotState.IsLive(Volatile.Read(ref *SlotStateWord(slot))), SlotStateWord(slot));
    }

    private void CheckCursor(string field, long* cursorWord, bool checkDistance, int* slotState = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var cursor = Volatile.Read(ref *cursorWord);
            var reserve = Volatile.Read(ref *ReserveCursor);
            var stable = Volatile.Read(ref *cursorWord) == cursor;
            // A ring's only writer publishes a record before it moves the reserve cursor past it (RingWriter.PublishCommitted,
            // Publish), so an end that took the record is ahead of the reserve cursor, by at most what one batch holds, until
            // the writer's next store: an instant, or as long as the writer is descheduled in between. Corrupt only if it lasts.
            if (cursor > ReaderLimit(reserve) && cursor - reserve <= Capacity && attempt < 100)
            {
                if (!ReserveCatchesUp(cursor)) attempt = 100; // report it now, with the values read then
                continue;
            }
            if (cursor < 0 || cursor > ReaderLimit(reserve))
                throw Corrupt($"{field} {cursor} is outside 0..{ReaderLimit(reserve)} (the reserve cursor {reserve}, or the next lap after a tail shorter than a record header)");
            if ((cursor & 7) != 0)
                throw Corrupt($"{field} {cursor} is not a multiple of 8 (records are 8-byte aligned)");
            if (!checkDistance || reserve - cursor <= Capacity) return;
            if (slotState != null && !SlotState.IsLive(Volatile.Read(ref *slotState))) return; // a dead or closed reader may lag
            if (stable || attempt >= 100)
                throw Corrupt($"reserve cursor {reserve} is {reserve - cursor} bytes ahead of the {field} {cursor}, more than the capacity {Capacity}");
        }
    }

    /// <summary>Whether the reserve cursor reaches <paramref name="cursor"/> within <see cref="StuckLimit"/> (looked at every millisecond).</summary>
    private bool ReserveCatchesUp(long cursor)
    {
        var since = Stopwatch.GetTimestamp();
        while (cursor > ReaderLimit(Volatile.Read(ref *ReserveCursor)))
        {
            if (Stopwatch.GetElapsedTime(since) >= StuckLimit) return false;
            Thread.Sleep(1);
        }
        return true;
    }

    /// <summary>
    /// Checks the record an end waits on at <paramref name="position"/>: below the reserve cursor
    /// every record start holds its published tag or the reserved tag of a claim being written.
    /// Anything else is corrupt once it has lasted <see cref="StuckLimit"/> (a writer stores the
    /// reserved tag just after it moves the reserve cursor, so a first sighting may be that instant).
    /// </summary>
    /// <param name="position">The position the end waits on (a reader's cursor, the competing claim cursor, the slowest reader's cursor).</param>
    /// <param name="whose">Whose position it is, for the message.</param>
    /// <param name="watch">The end's memory of what it saw at its previous slices.</param>
    internal void CheckRecordAt(long position, string whose, ref StuckWatch watch)
    {
        var tail = Capacity - Offset(position);
        if (tail < RingLayout.RecordHeaderBytes) position += tail; // the implicit skip at the wrap
        var reserve = Volatile.Read(ref *ReserveCursor);
        // Read whatever the position holds: the offset is always inside the data area, and at or past
        // the reserve cursor the tag is not looked at.
        var tag = Volatile.Read(ref *(long*)(Data + Offset(position)));
        if (position >= reserve || tag == RingLayout.Tag(position) || tag == RingLayout.ReservedTag(position))
        {
            watch.RecordSince = 0;
        }
        else if (watch.RecordSince == 0 || watch.Position != position || watch.Tag != tag)
        {
            watch.Position = position;
            watch.Tag = tag;
            watch.RecordSince = Stopwatch.GetTimestamp();
        }
        // Stryker disable once Equality : > instead of >= differs only at an elapsed time of exactly the limit, to the tick (< is caught by RingValidationTests)
        else if (Stopwatch.GetElapsedTime(watch.RecordSince) >= StuckLimit)
        {
            throw Corrupt($"{whose} {position} is below the reserve cursor {reserve}, but the record tag there is {tag}, neither {RingLayout.Tag(position)} (published) " +
                $"nor {RingLayout.ReservedTag(position)} (being written), for over {StuckLimit.TotalSeconds:0.#} s: the data area or the reserve cursor is corrupt");
        }
    }

    /// <summary>
    /// Reports a completion with an error that does not finish: the state stays
    /// completing-with-error only while the completing process writes the error (microseconds).
    /// </summary>
    internal void CheckCompletionNotStuck(ref StuckWatch watch)
    {
        if (State != RingState.CompletingWithError)
        {
            watch.CompletingSince = 0;
            return;
        }
        var now = Stopwatch.GetTimestamp();
        if (watch.CompletingSince == 0) watch.CompletingSince = now;
        // Stryker disable once Equality : > instead of >= differs only at an elapsed time of exactly the limit, to the tick (< is caught by RingValidationTests)
        else if (Stopwatch.GetElapsedTime(watch.CompletingSince, now) >= StuckLimit)
            throw Corrupt($"state has been {RingState.CompletingWithError} (completing with an error) for over {StuckLimit.TotalSeconds:0.#} s, though writing the error takes microseconds: the completing process died or the state word is corrupt");
    }
}
