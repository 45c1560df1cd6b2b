namespace Puma.Buffers.SharedMemory;

/// <summary>
/// The raw reader end of one reader slot of a <see cref="SharedMemoryRing"/>: acquire the next
/// message as a span over the shared memory, use it, release it (zero-copy). The slot's position
/// advances, and writers may reuse the space, only on <see cref="Release"/>. Use from one thread at a time.
/// </summary>
/// <remarks>
/// A reader drains greedily: every release stores the slot's new position at once (a plain release
/// store, so a writer sees the space as soon as it looks), but the full fence and the check for a
/// parked writer to wake are made only once an eighth of the ring has been released that way, when
/// no message is left to acquire, before waiting, on <see cref="Dispose"/> and <see cref="Detach"/>,
/// and at once when a parked writer is seen. A writer that parks in the instant between an unfenced
/// release and the end of the reader's reading finds the space at its next liveness poll
/// (<see cref="RingWait.ParkTimeoutMs"/>) at the latest.
/// </remarks>
public sealed unsafe class RingReader : IDisposable, IRingWaitCondition
{
    private readonly SharedMemoryRing _ring;
    private readonly bool _competing;
    private readonly long _capacity;
    private readonly long* _slotCursor;
    private readonly long* _slotClaimed;
    private readonly long _publishEvery;
    private readonly byte* _data;
    private readonly long _mask;
    private readonly int _maxMessageBytes;
    private readonly int* _spaceWaiters;
    private long _cursor;
    private long _fenced;
    private long _acquiredPosition = -1;
    private long _acquiredEnd;
    private int _acquiredLength;
    private int _disposed;
    private DedicatedWaiter? _waiter;
    private StuckWatch _watch;

    internal RingReader(SharedMemoryRing ring, int slot)
    {
        if ((uint)slot >= (uint)ring.Readers)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Reader slot {slot} is outside 0..{ring.Readers - 1} (ring '{ring.Name}' has {ring.Readers} slot(s)).");
        _ring = ring;
        Slot = slot;
        _competing = ring.Mode == BufferMode.Competing;
        _capacity = ring.Capacity;
        _slotCursor = ring.SlotCursor(slot);
        _slotClaimed = ring.SlotClaimed(slot);
        _data = ring.Data;
        _mask = ring.CapacityMask;
        _maxMessageBytes = ring.MaxMessageBytes;
        _spaceWaiters = ring.SpaceWaiters;
        var previous = Interlocked.CompareExchange(ref *ring.SlotStateWord(slot), SlotState.Attaching, SlotState.Pending);
        if (previous != SlotState.Pending)
            throw new InvalidOperationException($"Reader slot {slot} of ring '{ring.Name}' is {SlotState.Name(previous)}, not pending; each slot can be opened once.");
        // A reopened (handed back) slot holds no claim: a mark its previous reader left must not make
        // writers take this live reader for the claimer of a record a dead reader holds.
        Volatile.Write(ref *_slotClaimed, -1);
        Volatile.Write(ref *ring.SlotPid(slot), Environment.ProcessId);
        Volatile.Write(ref *ring.SlotStateWord(slot), SlotState.Attached);
        try
        {
            ring.ValidateShared(); // the slot's position among the rest: 0..reserve, at most a capacity behind
        }
        catch
        {
            Interlocked.CompareExchange(ref *ring.SlotStateWord(slot), SlotState.Pending, SlotState.Attached);
            throw;
        }
        _cursor = Volatile.Read(ref *_slotCursor);
        _fenced = _cursor;
        _publishEvery = Math.Max(_capacity / 8, RingLayout.RecordHeaderBytes);
    }

    /// <summary>The ring this end reads from.</summary>
    public SharedMemoryRing Ring => _ring;

    /// <summary>The reader slot this end occupies.</summary>
    public int Slot { get; }

    /// <summary>True between a successful acquire and its <see cref="Release"/>.</summary>
    public bool HasAcquired => _acquiredPosition >= 0;

    /// <summary>
    /// Takes the next message without waiting. The span points into shared memory and stays valid
    /// until <see cref="Release"/>, which must be called before the next acquire.
    /// </summary>
    /// <returns>False when no message is available now (see <see cref="WaitToRead"/> for why).</returns>
    /// <exception cref="BufferCorruptedException">A record header in shared memory is out of bounds.</exception>
    public bool TryAcquire(out ReadOnlySpan<byte> message) => TryAcquireCore(out message, out _);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal bool TryAcquireCore(out ReadOnlySpan<byte> message, out int kind)
    {
        // The common case in a few loads and compares, inlined into the caller: this end's own slot, nothing acquired,
        // a published data record at the position, whole before the end of the ring (the checks ValidateRecord makes).
        // Anything else (padding, a wrap, competing readers, a bad record, disposal) takes the general path below.
        var position = _cursor;
        var offset = position & _mask;
        var record = _data + offset;
        if (BitConverter.IsLittleEndian && _mask != 0 && !_competing && _acquiredPosition < 0 && Volatile.Read(ref _disposed) == 0 && _capacity - offset >= RingLayout.RecordHeaderBytes
            && Volatile.Read(ref *(long*)record) == RingLayout.Tag(position))
        {
            var header = *(long*)(record + RingLayout.RecordLengthOffset); // length and kind in one load (little endian)
            var length = (int)header;
            kind = (int)(header >> 32);
            if ((kind & RingLayout.KindMask) == RingLayout.KindData && (uint)length <= (uint)_maxMessageBytes
                && length <= _capacity - offset - RingLayout.RecordHeaderBytes)
            {
                message = Acquire(position, record, length);
                return true;
            }
        }
        return TryAcquireSlow(out message, out kind);
    }

    /// <summary>Holds the data record at <paramref name="position"/> as this end's acquired message and returns its payload.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Acquire(long position, byte* record, int length)
    {
        _acquiredPosition = position;
        _acquiredLength = length;
        _acquiredEnd = position + RingLayout.RecordBytes(length);
        return new ReadOnlySpan<byte>(record + RingLayout.RecordHeaderBytes, length);
    }

    private bool TryAcquireSlow(out ReadOnlySpan<byte> message, out int kind)
    {
        if (_acquiredPosition >= 0) throw new InvalidOperationException("The previous message is still acquired; Release it first.");
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _competing ? TryClaimCompeting(out message, out kind) : TryAcquireOwn(out message, out kind);
    }

    private Metrics.EndTally _tally;

    /// <summary>Counts what this end reads in <paramref name="counters"/> (the runtime's metrics); null: counts nothing.</summary>
    internal void CountWith(Metrics.EndCounters? counters) => _tally = Metrics.EndTally.Of(counters);

    /// <summary>Releases the acquired message: the slot's position moves past it and writers may reuse its space.</summary>
    /// <exception cref="InvalidOperationException">No message is acquired.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Release()
    {
        var position = _acquiredPosition;
        if (position < 0 || _competing)
        {
            ReleaseSlow();
            return;
        }
        _acquiredPosition = -1;
        _cursor = _acquiredEnd;
        Volatile.Write(ref *_slotCursor, _cursor);
        _tally.AddItem(_acquiredLength);
        if (_cursor - _fenced >= _publishEvery || Volatile.Read(ref *_spaceWaiters) != 0) FenceAndSignal();
    }

    /// <summary>Release without an acquired message (throws), or of a competing reader's record.</summary>
    private void ReleaseSlow()
    {
        var position = _acquiredPosition;
        if (position < 0) throw new InvalidOperationException("Release needs an acquired message; call TryAcquire first.");
        _acquiredPosition = -1;
        var record = _ring.Data + _ring.Offset(position);
        Interlocked.Or(ref *(int*)(record + RingLayout.RecordKindOffset), RingLayout.FlagReleased);
        Volatile.Write(ref *_slotClaimed, -1);
        _tally.AddItem(_acquiredLength); // after the release store: a crash in between never counts an item that is read again
        _ring.AdvanceReleaseCursor();
        _ring.SignalSpace();
    }

    /// <summary>
    /// Blocks until a message is available (true) or the ring is completed and drained (false).
    /// Spins briefly, then parks on the shared futex.
    /// </summary>
    /// <exception cref="RemoteBufferException">The ring was completed with an error (after draining).</exception>
    /// <exception cref="PeerProcessDiedException">A writer process died without completing (after draining).</exception>
    /// <exception cref="BufferCorruptedException">Shared memory holds an impossible value (named in the message); a wait notices it within a park slice.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool WaitToRead(CancellationToken cancellationToken = default)
    {
        PublishPending();
        RingWait.Wait(_ring.DataSequence, _ring.DataWaiters, _ring.DataParks, _ring.SlotParked(Slot), this, cancellationToken);
        return ReadyResult();
    }

    /// <summary>
    /// Waits for a message like <see cref="WaitToRead"/>, on a dedicated waiter thread after a
    /// brief spin; completes synchronously without allocating when a message is already there.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<bool>(cancellationToken);
        PublishPending();
        try
        {
            if (RingWait.Spin(this)) return new ValueTask<bool>(ReadyResult());
        }
        catch (Exception error)
        {
            return ValueTask.FromException<bool>(error);
        }
        _waiter ??= new DedicatedWaiter(ParkForData, WakeParked, "puma-ring-reader-wait");
        return _waiter.WaitAsync(cancellationToken);
    }

    /// <summary>Closes the slot (writers stop waiting for it) and stops the waiter thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_waiter is not null && !_waiter.Stop()) _ring.KeepMapped();
        // Stryker disable once Statement : unreachable in sequence (the ring disposes every end it tracks before it unmaps); only an end opened while the ring is being disposed gets here
        if (_ring.IsUnmapped) return;
        if (_acquiredPosition >= 0) Release();
        PublishPending();
        Interlocked.CompareExchange(ref *_ring.SlotStateWord(Slot), SlotState.Closed, SlotState.Attached);
        _ring.SignalSpace();
        _ring.Untrack(this);
    }

    /// <summary>
    /// Hands the slot back as pending, keeping its position: writers go on keeping its items, and
    /// another process (a restarted reader) can open the slot and read on from where this end
    /// stopped. A message still acquired is released first. The end is unusable afterwards.
    /// </summary>
    public void Detach()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _waiter?.Dispose();
        // Stryker disable once Statement : unreachable in sequence (the ring disposes every end it tracks before it unmaps); only an end opened while the ring is being disposed gets here
        if (_ring.IsUnmapped) return;
        if (_acquiredPosition >= 0) Release();
        PublishPending();
        Interlocked.CompareExchange(ref *_ring.SlotStateWord(Slot), SlotState.Pending, SlotState.Attached);
        _ring.SignalSpace();
        _ring.Untrack(this);
    }

    /// <summary>True when a message is available now (nothing is acquired).</summary>
    internal bool IsMessageAvailable()
    {
        var position = _competing ? Volatile.Read(ref *_ring.ClaimCursor) : _cursor;
        for (var hops = 0; hops < 4; hops++)
        {
            var offset = _ring.Offset(position);
            var tail = _capacity - offset;
            if (tail < RingLayout.RecordHeaderBytes)
            {
                position += tail;
                continue;
            }
            var record = _ring.Data + offset;
            if (Volatile.Read(ref *(long*)record) != RingLayout.Tag(position)) return false;
            var kind = *(int*)(record + RingLayout.RecordKindOffset);
            if ((kind & RingLayout.KindMask) != RingLayout.KindPadding) return true;
            var length = *(int*)(record + RingLayout.RecordLengthOffset);
            if (length < 0 || length > tail - RingLayout.RecordHeaderBytes) return true; // let TryAcquire report it
            position += RingLayout.RecordBytes(length);
        }
        return true;
    }

    /// <summary>
    /// After a wait: true when a message is available; false when completed normally and drained;
    /// throws when completed with an error and drained, or when the state word is corrupt.
    /// </summary>
    internal bool ReadyResult()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (IsMessageAvailable()) return true;
        var state = _ring.State;
        _ring.ThrowIfStateInvalid(state);
        if (state < RingState.Completed)
        {
            if (state == RingState.Open) _ring.CheckWritersAlive();
            return true; // spurious: the caller retries TryAcquire and waits again
        }
        if (IsMessageAvailable()) return true;
        if (state == RingState.CompletedWithError) throw _ring.ReadError();
        return false;
    }

    // An undefined state (negative or above the last) ends the wait too: ReadyResult reports it.
    bool IRingWaitCondition.IsReady() =>
        Volatile.Read(ref _disposed) != 0 || (uint)_ring.State >= RingState.Completed || IsMessageAvailable();

    void IRingWaitCondition.CheckSlice()
    {
        if (Volatile.Read(ref _disposed) != 0) return; // disposed from another thread: the slot is being handed back
        _ring.ValidateShared();
        CheckOwnSlot();
        _ring.CheckWritersAlive();
        _ring.CheckCompletionNotStuck(ref _watch);
        if (_competing) _ring.CheckRecordAt(Volatile.Read(ref *_ring.ClaimCursor), "the competing claim cursor", ref _watch);
        else _ring.CheckRecordAt(_cursor, $"reader {Slot}'s position", ref _watch);
    }

    /// <summary>
    /// The slot this end holds open must still say so (attached, this process), and, unless
    /// competing, hold this end's position. Runs after <see cref="SharedMemoryRing.ValidateShared"/>,
    /// which checked that position against the reserve cursor (at most a capacity behind it).
    /// </summary>
    private void CheckOwnSlot()
    {
        var state = Volatile.Read(ref *_ring.SlotStateWord(Slot));
        if (state != SlotState.Attached)
            throw _ring.Corrupt($"reader slot {Slot} state is {SlotState.Name(state)}, though this reader holds it open (attached)");
        var pid = Volatile.Read(ref *_ring.SlotPid(Slot));
        if (pid != Environment.ProcessId)
            throw _ring.Corrupt($"reader slot {Slot} pid {pid} is not this reader's process {Environment.ProcessId}");
        if (_competing) return;
        var published = Volatile.Read(ref *_slotCursor);
        if (published != _cursor)
            throw _ring.Corrupt($"reader {Slot} cursor {published} is not this reader's position {_cursor}");
    }

    private bool ParkForData(CancellationToken cancellationToken)
    {
        RingWait.Park(_ring.DataSequence, _ring.DataWaiters, _ring.DataParks, _ring.SlotParked(Slot), this, cancellationToken);
        return ReadyResult();
    }

    private void WakeParked() => SharedMemoryRing.Wake(_ring.DataSequence);

    private bool TryAcquireOwn(out ReadOnlySpan<byte> message, out int kind)
    {
        while (true)
        {
            var position = _cursor;
            var offset = _ring.Offset(position);
            var tail = _capacity - offset;
            if (tail < RingLayout.RecordHeaderBytes)
            {
                _cursor = position + tail;
                Volatile.Write(ref *_slotCursor, _cursor);
                continue;
            }
            var record = _ring.Data + offset;
            var tag = Volatile.Read(ref *(long*)record);
            if (tag != RingLayout.Tag(position))
            {
                PublishPending(); // nothing left to drain: writers see every release now
                message = default;
                kind = 0;
                return false;
            }
            var length = *(int*)(record + RingLayout.RecordLengthOffset);
            kind = *(int*)(record + RingLayout.RecordKindOffset);
            ValidateRecord(position, tail, length, kind);
            if ((kind & RingLayout.KindMask) == RingLayout.KindPadding)
            {
                _cursor = position + RingLayout.RecordBytes(length);
                Volatile.Write(ref *_slotCursor, _cursor);
                continue;
            }
            message = Acquire(position, record, length);
            return true;
        }
    }

    private bool TryClaimCompeting(out ReadOnlySpan<byte> message, out int kind)
    {
        var claim = _ring.ClaimCursor;
        while (true)
        {
            var position = Volatile.Read(ref *claim);
            var offset = _ring.Offset(position);
            var tail = _capacity - offset;
            if (tail < RingLayout.RecordHeaderBytes)
            {
                Interlocked.CompareExchange(ref *claim, position + tail, position);
                _ring.AdvanceReleaseCursor();
                // Stryker disable once Statement : without it the loop goes on at the same position and ends in a continue anyway: the claim cursor is past it now (moved here or by another reader), so the tag check, the record check and the claim all fail over to the next iteration
                continue;
            }
            var record = _ring.Data + offset;
            var tag = Volatile.Read(ref *(long*)record);
            if (tag != RingLayout.Tag(position))
            {
                if (Volatile.Read(ref *claim) != position) continue;
                message = default;
                kind = 0;
                return false;
            }
            var length = *(int*)(record + RingLayout.RecordLengthOffset);
            kind = *(int*)(record + RingLayout.RecordKindOffset);
            if (length < 0 || length > tail - RingLayout.RecordHeaderBytes || ((kind & RingLayout.KindMask) is not (RingLayout.KindData or RingLayout.KindPadding)))
            {
                if (Volatile.Read(ref *claim) != position) continue; // another reader moved on and the writer reused the space
                ValidateRecord(position, tail, length, kind);
            }
            var next = position + RingLayout.RecordBytes(length);
            Volatile.Write(ref *_slotClaimed, position);
            if (Interlocked.CompareExchange(ref *claim, next, position) != position)
            {
                // Another reader took the record: drop the mark, or it would stay behind while this reader
                // idles and keep writers from freeing the record should that other reader die holding it.
                Volatile.Write(ref *_slotClaimed, -1);
                continue;
            }
            if ((kind & RingLayout.KindMask) == RingLayout.KindPadding)
            {
                Volatile.Write(ref *_slotClaimed, -1);
                _ring.AdvanceReleaseCursor();
                continue;
            }
            _acquiredPosition = position;
            _acquiredLength = length;
            message = new ReadOnlySpan<byte>(record + RingLayout.RecordHeaderBytes, length);
            return true;
        }
    }

    /// <summary>Fences and wakes parked writers if some release has not been fenced yet.</summary>
    private void PublishPending()
    {
        if (!_competing && _cursor != _fenced) FenceAndSignal();
    }

    private void FenceAndSignal()
    {
        _fenced = _cursor;
        Interlocked.Exchange(ref *_slotCursor, _cursor); // full fence between the position store and the waiter check
        _ring.SignalSpaceAfterFence();
    }

    /// <remarks><see cref="TryAcquireCore"/> makes the same checks of a data record inline: change both.</remarks>
    private void ValidateRecord(long position, long tail, int length, int kind)
    {
        var type = kind & RingLayout.KindMask;
        if (type is not (RingLayout.KindData or RingLayout.KindPadding))
            throw new BufferCorruptedException($"Ring '{_ring.Name}': record kind {type} at position {position} is neither data ({RingLayout.KindData}) nor padding ({RingLayout.KindPadding}).");
        var limit = Math.Min(tail - RingLayout.RecordHeaderBytes, type == RingLayout.KindData ? _ring.MaxMessageBytes : long.MaxValue);
        if (length < 0 || length > limit)
            throw new BufferCorruptedException($"Ring '{_ring.Name}': record length {length} at position {position} is outside 0..{limit} (the bytes left before the end of the ring or the largest message).");
    }
}
