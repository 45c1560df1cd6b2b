using System.Threading.Channels;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// The raw writer end of a <see cref="SharedMemoryRing"/>: claim a span in the ring, fill it,
/// commit it (zero-copy). Holds one writer reference until <see cref="ReleaseWriter"/> or
/// <see cref="Dispose"/>. Use from one thread at a time.
/// </summary>
/// <remarks>
/// <para>
/// Wake-ups are batched the way releases are on <see cref="RingReader"/>: each commit publishes its record at once
/// with a release store (a reader that spins sees it), and wakes a reader it sees parked, but the full fence that
/// makes that check exact is made only once an eighth of the ring has been committed, before waiting for space,
/// on <see cref="Flush"/>, and when the end completes, releases or detaches. A reader that parks in the instant of an
/// unfenced commit looks once more after a store buffer's drain time (about a microsecond) before it sleeps (see
/// <c>RingWait.Park</c>); should a commit's store still be unseen then, that reader sees it at its next park slice
/// (250 ms) at the latest. A per-message fence cost more than the rest of a 64-byte commit.
/// On a ring with several writer references (one per writing process), a batch's first record keeps its reserved
/// tag (a claim being written) until the batch is published.
/// </para>
/// <para>
/// Publication can be batched too (<see cref="BeginBatch"/> ... <see cref="Flush"/>, which a runnable's loop does
/// around each batch of items of an input with a synchronous handler): the batch's first record keeps its tag until
/// the batch is published, so readers wait in front of it instead of taking each record from the writer's cache as
/// it is written.
/// </para>
/// </remarks>
public sealed unsafe partial class RingWriter : IDisposable, IRingWaitCondition
{
    private readonly SharedMemoryRing _ring;
    private readonly bool _singleWriter;
    private readonly long _capacity;
    private long _cachedMinReader;
    private long _localReserve;
    private long _claimPosition = -1;
    private int _claimLength;
    private long _waitBytes;
    private long _unfenced;
    private readonly long _publishEvery;
    private readonly byte* _data;
    private readonly long _mask;
    private readonly int _maxMessageBytes;
    private readonly int* _stateWord;
    private readonly int* _dataWaiters;
    private readonly long* _reserveCursor;
    private bool _batching;
    private long _batchHead = -1;
    private int _released;
    private int _disposed;
    private DedicatedWaiter? _waiter;
    private StuckWatch _watch;

    internal RingWriter(SharedMemoryRing ring)
    {
        _ring = ring;
        ring.ValidateShared(); // before taking a reference: the counts and cursors it relies on
        ring.AcquireWriterReference();
        _capacity = ring.Capacity;
        _singleWriter = ring.Writers == 1;
        _localReserve = Volatile.Read(ref *ring.ReserveCursor);
        _cachedMinReader = ring.MinReaderPosition();
        _publishEvery = Math.Max(_capacity / 8, RingLayout.RecordHeaderBytes);
        _data = ring.Data;
        _mask = ring.CapacityMask;
        _maxMessageBytes = ring.MaxMessageBytes;
        _stateWord = ring.StateWord;
        _dataWaiters = ring.DataWaiters;
        _reserveCursor = ring.ReserveCursor;
    }

    /// <summary>The ring this end writes to.</summary>
    public SharedMemoryRing Ring => _ring;

    /// <summary>Largest message payload in bytes (<see cref="SharedMemoryRing.MaxMessageBytes"/>).</summary>
    public int MaxMessageBytes => _ring.MaxMessageBytes;

    /// <summary>True once the ring is completed or this end released its writer reference; claims then fail.</summary>
    public bool IsCompleted => Volatile.Read(ref _released) != 0 || _ring.State != RingState.Open;

    /// <summary>True between a successful claim and its <see cref="Commit"/> or <see cref="Abort"/>.</summary>
    public bool HasClaim => _claimPosition >= 0;

    /// <summary>
    /// Claims <paramref name="length"/> bytes in the ring without waiting. On success fill
    /// <paramref name="span"/> and call <see cref="Commit"/> (or <see cref="Abort"/>); nothing is
    /// visible to readers before the commit.
    /// </summary>
    /// <remarks>
    /// Inside a batch, a claim of up to 1 KiB after the batch's first hands out a span in this end's staging buffer,
    /// and the commit streams it into the ring with non-temporal stores (see the ring's README, "Streamed records"):
    /// the span is valid until the commit or abort either way.
    /// </remarks>
    /// <returns>False when the ring is full or completed (or this end released its reference).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or larger than <see cref="MaxMessageBytes"/>; the message names both sizes.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(int length, out Span<byte> span)
    {
        if (TryClaimFast(length, stage: true, out span)) return true;
        return TryClaimSlow(length, out span);
    }

    /// <summary>
    /// <see cref="TryClaim"/> whose span is always the ring's (never the staging buffer): for a caller that commits with
    /// <see cref="CommitStreamed"/> from its own copy when <see cref="CanStream"/>, or else fills the span.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal bool TryClaimInPlace(int length, out Span<byte> span)
    {
        if (TryClaimFast(length, stage: false, out span)) return true;
        return TryClaimSlow(length, out span);
    }

    /// <summary>
    /// The common claim in a few loads and compares, inlined into the caller: the ring's only writer, nothing claimed,
    /// open, room known from the last look at the readers, and the record whole before the end of the ring. Anything
    /// else (a wrap, a full ring as last seen, several writers, a bad length, release or disposal) is
    /// <see cref="TryReserve"/>'s.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool TryClaimFast(int length, bool stage, out Span<byte> span)
    {
        var position = _localReserve;
        var offset = position & _mask;
        var end = position + RingLayout.RecordBytes(length);
        // BitConverter.IsLittleEndian: Commit's one 8-byte header store is the general path's two int stores only on a
        // little-endian machine (a constant to the JIT). The ring's own disposal is looked at too, as TryReserve does.
        if (BitConverter.IsLittleEndian && _singleWriter && _mask != 0 && _claimPosition < 0 && (uint)length <= (uint)_maxMessageBytes
            && offset + (end - position) <= _capacity && end - _cachedMinReader <= _capacity
            && (Volatile.Read(ref _released) | Volatile.Read(ref _disposed)) == 0 && !_ring.IsDisposed
            && Volatile.Read(ref *_stateWord) == RingState.Open)
        {
            _claimPosition = position;
            _claimLength = length;
            _localReserve = end;
            // A small record behind a batch's head is filled in this end's staging buffer and streamed on commit.
            span = stage && length <= StageLimit && CanStream
                ? Stage(length)
                : new Span<byte>(_data + offset + RingLayout.RecordHeaderBytes, length);
            return true;
        }
        span = default;
        return false;
    }

    private bool TryClaimSlow(int length, out Span<byte> span)
    {
        if (TryReserve(length))
        {
            span = new Span<byte>(_ring.Data + _ring.Offset(_claimPosition) + RingLayout.RecordHeaderBytes, length);
            return true;
        }
        span = default;
        return false;
    }

    /// <summary>
    /// Claims <paramref name="length"/> bytes, waiting for space (spin, then park). Commit it with <see cref="Commit"/>.
    /// </summary>
    /// <exception cref="ChannelClosedException">The ring was completed.</exception>
    /// <exception cref="PeerProcessDiedException">Every reader this writer waits for has died.</exception>
    /// <exception cref="BufferCorruptedException">Shared memory holds an impossible value (named in the message); a wait notices it within a park slice.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public Span<byte> Claim(int length, CancellationToken cancellationToken = default) =>
        TryClaimFast(length, stage: true, out var span) ? span : ClaimSlow(length, cancellationToken);

    private Span<byte> ClaimSlow(int length, CancellationToken cancellationToken)
    {
        var waited = false; // one wait per item, however many times it retries
        while (true)
        {
            if (TryClaim(length, out var span)) return span;
            if (!waited) _tally.AddWait();
            waited = true;
            if (!WaitForSpace(length, cancellationToken)) throw CompletedException();
        }
    }

    private Metrics.EndTally _tally;

    /// <summary>Counts what this end writes in <paramref name="counters"/> (the runtime's metrics); null: counts nothing.</summary>
    internal void CountWith(Metrics.EndCounters? counters) => _tally = Metrics.EndTally.Of(counters);

    /// <summary>Counts one wait for room (a channel end that waits asynchronously).</summary>
    internal void CountWait() => _tally.AddWait();

    /// <summary>Publishes the claimed message to readers (a release store of its header).</summary>
    /// <exception cref="InvalidOperationException">No claim is pending.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Commit()
    {
        var position = _claimPosition;
        if (_staged)
        {
            // Streamed only while the batch that staged it still holds its head: a publish in between (a Flush, a wait
            // for room) made this record the first unpublished one, which must be written in place and published.
            if (CanStream) CommitStaged();
            else CommitCore(0);
            return;
        }
        if (position < 0 || !_singleWriter || _mask == 0 || !BitConverter.IsLittleEndian)
        {
            CommitCore(0);
            return;
        }
        // The ring's only writer, a data record: its header in one 8-byte store (length, then kind), then as CommitCore.
        var record = _data + (position & _mask);
        var length = _claimLength;
        *(long*)(record + RingLayout.RecordLengthOffset) = (uint)length | ((long)RingLayout.KindData << 32);
        PublishCommitted(position, record, length, isData: true);
    }

    /// <summary>Abandons the claimed message: readers skip its space.</summary>
    /// <exception cref="InvalidOperationException">No claim is pending.</exception>
    public void Abort() => CommitCore(RingLayout.KindPadding);

    internal void CommitCore(int flags)
    {
        var position = _claimPosition;
        if (position < 0) throw new InvalidOperationException("Commit or Abort needs a pending claim; call TryClaim or Claim first.");
        var record = _ring.Data + _ring.Offset(position);
        var padding = (flags & RingLayout.KindMask) == RingLayout.KindPadding;
        if (_staged)
        {
            // A staged claim committed some other way (a null item's flag) or aborted: its bytes go in place, or nowhere.
            _staged = false;
            if (!padding)
                _stage.AsSpan(0, _claimLength).CopyTo(new Span<byte>(record + RingLayout.RecordHeaderBytes, _claimLength));
        }
        *(int*)(record + RingLayout.RecordLengthOffset) = _claimLength;
        *(int*)(record + RingLayout.RecordKindOffset) = padding ? RingLayout.KindPadding : RingLayout.KindData | flags;
        if (padding)
            *(int*)(record + RingLayout.RecordLengthOffset) = (int)(RingLayout.RecordBytes(_claimLength) - RingLayout.RecordHeaderBytes);
        PublishCommitted(position, record, _claimLength, isData: !padding);
    }

    /// <summary>
    /// What every commit does once the record's header is written: ends the claim, then publishes the record (or holds
    /// it as the batch's head), counts it when it is data, and publishes the batch when it is due or a reader is parked.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void PublishCommitted(long position, byte* record, int length, bool isData)
    {
        _claimPosition = -1;
        _unfenced += RingLayout.RecordBytes(length);
        if (_batching && _batchHead < 0)
        {
            // The first record of a batch keeps its tag until the batch is published: readers stop in front of it
            // while the rest of the batch is written behind it, in other cache lines (see remarks). A single writer's
            // record holds whatever the last lap left in its tag word: the reserved tag makes sure that is not, by
            // chance, this position's published tag (streamed records behind it are not ordered before the fence).
            if (_singleWriter) *(long*)record = RingLayout.ReservedTag(position);
            _batchHead = position;
        }
        else
        {
            // A release store publishes the record (its bytes and header before its tag) without a fence:
            // a spinning reader sees it at once; the fence and the check for a parked reader are batched.
            Volatile.Write(ref *(long*)record, RingLayout.Tag(position));
            // A single writer moves the shared reserve cursor only now, after the record is published:
            // below it every record is then published, which lets waiting ends tell a corrupt data
            // area from a claim being filled without a reserved tag per message.
            if (_singleWriter && _batchHead < 0) Volatile.Write(ref *_reserveCursor, _localReserve);
        }
        if (isData) _tally.AddItem(length); // counted once committed
        PublishIfDue();
    }

    /// <summary>Publishes what is committed when an eighth of the ring is unpublished or a reader is parked (a plain read of the count).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void PublishIfDue()
    {
        if (_unfenced >= _publishEvery || Volatile.Read(ref *_dataWaiters) != 0) Publish();
    }

    /// <summary>
    /// Starts a batch: until <see cref="Flush"/>, commits are published together (readers see none of them before).
    /// The end publishes a batch early when it holds an eighth of the ring, when a reader is parked waiting for
    /// data, before it waits for space, and when it completes, releases or detaches. On a ring with several writers
    /// the batch's first record stays a claim being written until then, so the other writers' records behind it
    /// wait for it too.
    /// </summary>
    /// <remarks>
    /// A runnable's loop batches its outputs around each batch of items of an input with a synchronous handler.
    /// A reader that keeps up with the writer otherwise takes every record from the writer's cache line by line as
    /// it is written, and both sides wait on each line; a batch moves as a block.
    /// </remarks>
    public void BeginBatch() => _batching = true;

    /// <summary>
    /// Publishes the pending batch (see <see cref="BeginBatch"/>) and ends it, and wakes a reader parked for data
    /// for everything committed so far. Commits publish at once outside a batch and wake a reader they see parked;
    /// the fence here also catches one that parked in the same instant (see remarks on the type).
    /// </summary>
    public void Flush()
    {
        _batching = false;
        if (!_ring.IsUnmapped) PublishPending();
    }

    /// <summary>Publishes what is committed, without ending a batch.</summary>
    private void PublishPending()
    {
        if (_unfenced != 0 || _batchHead >= 0) Publish();
    }

    /// <summary>Publishes the batch's first record (and with it the batch), then fences and wakes a parked reader.</summary>
    private void Publish()
    {
        FenceStreamed(); // streamed records are visible before the head's tag is
        if (_batchHead >= 0)
        {
            // The records after the head were stored before this release store, so a reader that sees the head sees them.
            Volatile.Write(ref *(long*)(_ring.Data + _ring.Offset(_batchHead)), RingLayout.Tag(_batchHead));
            _batchHead = -1;
            // One writer moves the shared reserve cursor on commit, held at the batch's head meanwhile; several move it
            // when they claim, and the head kept its reserved tag (a claim being written) until now.
            if (_singleWriter) Volatile.Write(ref *_ring.ReserveCursor, HasClaim ? _claimPosition : _localReserve);
        }
        _unfenced = 0;
        Interlocked.MemoryBarrier(); // orders the commits' stores before the read of the waiter count (no lost wake-up)
        _ring.SignalDataAfterFence();
    }

    /// <summary>
    /// Waits until a message of <paramref name="length"/> bytes fits, on a dedicated waiter thread
    /// (the pool thread is not blocked); completes synchronously without allocating when it fits now.
    /// </summary>
    /// <returns>True when it fits; false when the ring is completed.</returns>
    public ValueTask<bool> WaitToWriteAsync(int length, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<bool>(cancellationToken);
        ThrowIfBadLength(length);
        ThrowIfDisposed();
        PublishPending();
        _waitBytes = RingLayout.RecordBytes(length);
        try
        {
            if (RingWait.Spin(this)) return new ValueTask<bool>(ReadyResult());
        }
        catch (Exception error)
        {
            return ValueTask.FromException<bool>(error);
        }
        _waiter ??= new DedicatedWaiter(ParkForSpace, WakeParked, "puma-ring-writer-wait");
        return _waiter.WaitAsync(cancellationToken);
    }

    /// <summary>Blocks until a message of <paramref name="length"/> bytes fits (true) or the ring is completed (false).</summary>
    public bool WaitForSpace(int length, CancellationToken cancellationToken = default)
    {
        ThrowIfBadLength(length);
        ThrowIfDisposed();
        PublishPending();
        _waitBytes = RingLayout.RecordBytes(length);
        RingWait.Wait(_ring.SpaceSequence, _ring.SpaceWaiters, _ring.SpaceParks, null, this, cancellationToken);
        return ReadyResult();
    }

    /// <summary>
    /// Completes the ring for every writer and reader: normally when <paramref name="error"/> is
    /// null, else with that error (type, message and stack cross to readers, who throw it after draining).
    /// </summary>
    /// <returns>False when the ring was already completed.</returns>
    /// <exception cref="BufferCorruptedException">The ring's state word holds no defined state.</exception>
    public bool TryComplete(Exception? error = null)
    {
        ThrowIfDisposed();
        if (HasClaim) Abort();
        Flush();
        return _ring.TryComplete(error);
    }

    /// <summary>
    /// Releases this end's writer reference (once; later calls do nothing). When every reference of
    /// the ring is released the ring completes normally. A pending claim is aborted first.
    /// </summary>
    public void ReleaseWriter()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0 || _ring.IsUnmapped) return;
        if (HasClaim) Abort();
        Flush();
        _ring.ReleaseWriterReference();
    }

    /// <summary>
    /// Hands this end's writer reference back to the ring without releasing it: the ring does not
    /// complete, and another process (a restarted writer) can take the reference again. A pending
    /// claim is aborted first. The end is unusable afterwards.
    /// </summary>
    public void Detach()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0 || _ring.IsUnmapped) return;
        if (HasClaim) Abort();
        Flush();
        _ring.ReturnWriterReference();
        // Stryker disable once Statement : a Dispose that ran first already stopped the waiter and untracked the end, and both are idempotent
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _waiter?.Dispose();
        _ring.Untrack(this);
    }

    /// <summary>Releases the writer reference and stops the waiter thread.</summary>
    public void Dispose()
    {
        // Stryker disable once Statement : a second pass finds the reference released, stops a stopped waiter (same result) and untracks nothing
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        ReleaseWriter();
        if (_waiter is not null && !_waiter.Stop()) _ring.KeepMapped();
        _ring.Untrack(this);
    }

    bool IRingWaitCondition.IsReady() =>
        Volatile.Read(ref _disposed) != 0 || IsCompleted || HasSpace(_waitBytes);

    void IRingWaitCondition.CheckSlice()
    {
        if (Volatile.Read(ref _disposed) != 0) return; // disposed from another thread: the wait ends as disposed
        _ring.ValidateShared();
        if (_singleWriter)
        {
            // The only writer: nobody else moves the reserve cursor.
            var expected = HasClaim ? _claimPosition : _localReserve; // a claim moves it on commit
            var reserve = Volatile.Read(ref *_ring.ReserveCursor);
            if (reserve != expected)
                throw _ring.Corrupt($"reserve cursor {reserve} is not {expected}, the position of the ring's only writer");
        }
        _ring.CheckReadersAlive();
        if (_ring.Mode == BufferMode.Competing)
        {
            _ring.AdvanceReleaseCursor(); // throws when the record at the release frontier is not intact
            _ring.CheckRecordAt(Volatile.Read(ref *_ring.ClaimCursor), "the competing claim cursor", ref _watch);
        }
        else
        {
            var min = _ring.MinReaderPosition();
            if (min >= 0) _ring.CheckRecordAt(min, "the slowest reader's position", ref _watch);
        }
    }

    private bool ParkForSpace(CancellationToken cancellationToken)
    {
        RingWait.Park(_ring.SpaceSequence, _ring.SpaceWaiters, _ring.SpaceParks, null, this, cancellationToken);
        return ReadyResult();
    }

    private bool ReadyResult()
    {
        ThrowIfDisposed();
        if (Volatile.Read(ref _released) != 0) return false;
        var state = _ring.State;
        _ring.ThrowIfStateInvalid(state);
        return state == RingState.Open;
    }

    private void WakeParked() => SharedMemoryRing.Wake(_ring.SpaceSequence);

    internal Exception CompletedException()
    {
        var state = _ring.State;
        if (!RingState.IsDefined(state)) return _ring.StateCorrupt(state);
        return state == RingState.CompletedWithError ? new ChannelClosedException(_ring.ReadError()) : new ChannelClosedException();
    }

    private bool HasSpace(long recordBytes)
    {
        var position = _singleWriter ? _localReserve : Volatile.Read(ref *_ring.ReserveCursor);
        var tail = _capacity - _ring.Offset(position);
        var end = position + (tail < recordBytes ? tail : 0) + recordBytes;
        if (end - _cachedMinReader <= _capacity) return true;
        var min = _ring.MinReaderPosition();
        if (min < 0) return false;
        if (min > position) _ring.ThrowIfReaderAhead(min);
        _cachedMinReader = min;
        return end - min <= _capacity;
    }

    private bool TryReserve(int length)
    {
        if (_claimPosition >= 0) throw new InvalidOperationException("A claim is already pending; Commit or Abort it before claiming again.");
        ThrowIfBadLength(length);
        ThrowIfDisposed();
        if (Volatile.Read(ref _released) != 0) return false;
        var state = _ring.State;
        if (state != RingState.Open)
        {
            _ring.ThrowIfStateInvalid(state);
            return false;
        }
        var recordBytes = RingLayout.RecordBytes(length);
        while (true)
        {
            var position = _singleWriter ? _localReserve : Volatile.Read(ref *_ring.ReserveCursor);
            var offset = _ring.Offset(position);
            var tail = _capacity - offset;
            var padding = tail < recordBytes ? tail : 0;
            var end = position + padding + recordBytes;
            if (end - _cachedMinReader > _capacity)
            {
                var min = _ring.MinReaderPosition();
                if (min < 0) return false;
                if (min > position) _ring.ThrowIfReaderAhead(min); // a reader past the reserve cursor would have this writer overwrite unread records
                _cachedMinReader = min;
                if (end - min > _capacity)
                {
                    PublishPending(); // the readers must see everything committed to make room
                    return false;
                }
            }
            if (_singleWriter)
            {
                // The shared reserve cursor moves on commit (see CommitCore). A wrap's padding record
                // is published now: why this order: its reserved tag first, then the cursor to the
                // claim, then the record, so no reader sees the cursor past a record start holding
                // neither tag, nor skips the padding to a position past the cursor.
                if (padding >= RingLayout.RecordHeaderBytes)
                {
                    if (_batchHead >= 0) Publish(); // the cursor moves below: every record under it must be published
                    *(long*)(_ring.Data + offset) = RingLayout.ReservedTag(position);
                    Volatile.Write(ref *_ring.ReserveCursor, position + padding);
                    PublishPadding(position, offset, padding);
                }
                _localReserve = end;
            }
            else
            {
                if (Interlocked.CompareExchange(ref *_ring.ReserveCursor, end, position) != position) continue;
                // Only the winner of the cursor may write here, so after it: a parked end may see
                // the cursor moved before these stores for an instant (tolerated, see StuckLimit).
                if (padding >= RingLayout.RecordHeaderBytes) PublishPadding(position, offset, padding);
                *(long*)(_ring.Data + (padding == 0 ? offset : 0)) = RingLayout.ReservedTag(position + padding);
            }
            _claimPosition = position + padding;
            _claimLength = length;
            return true;
        }
    }

    /// <summary>Publishes the padding record that fills the tail at a wrap (the claim then starts the ring).</summary>
    private void PublishPadding(long position, long offset, long padding)
    {
        var pad = _ring.Data + offset;
        *(int*)(pad + RingLayout.RecordLengthOffset) = (int)(padding - RingLayout.RecordHeaderBytes);
        *(int*)(pad + RingLayout.RecordKindOffset) = RingLayout.KindPadding;
        Volatile.Write(ref *(long*)pad, RingLayout.Tag(position));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void ThrowIfBadLength(int length)
    {
        if ((uint)length > (uint)_ring.MaxMessageBytes) ThrowTooLarge(length);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowTooLarge(int length) =>
        throw new ArgumentOutOfRangeException(nameof(length), length,
            $"{_ring.Label}: an item of {length} bytes exceeds the largest item of {_ring.MaxMessageBytes} bytes " +
            $"(half of capacityBytes {_ring.CapacityBytes}, minus a {RingLayout.RecordHeaderBytes}-byte record header); " +
            $"give the buffer capacityBytes of at least {2 * ((length + RingLayout.RecordHeaderBytes + 7L) & ~7L)}, or send smaller items.");

    private void ThrowIfDisposed()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _ring.ThrowIfDisposed();
    }
}
