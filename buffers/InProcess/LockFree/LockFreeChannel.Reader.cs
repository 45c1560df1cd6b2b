using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Puma.Buffers;

internal sealed partial class LockFreeChannel<T>
{
    /// <summary>Takes the oldest item; false when there is none now.</summary>
    /// <remarks>
    /// The common case, inlined into the caller (a loop reading its input): the item at the head is there and this
    /// reader's CAS takes it. Everything else (empty, another reader first, an end between its CAS and its stamp)
    /// goes to <see cref="TryReadSlow"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryRead([MaybeNullWhen(false)] out T item)
    {
        var head = Volatile.Read(ref _positions.Head);
        ref var slot = ref SlotAt(head);
        if (Volatile.Read(ref slot.Stamp) == head + 1
            && Interlocked.CompareExchange(ref _positions.Head, NextPosition(head), head) == head)
        {
            item = Take(ref slot, head);
            return true;
        }
        return TryReadSlow(out item);
    }

    /// <summary><see cref="TryRead"/> after its first attempt failed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReadSlow([MaybeNullWhen(false)] out T item)
    {
        var spin = default(SpinWait);
        var head = Volatile.Read(ref _positions.Head);
        while (true)
        {
            ref var slot = ref SlotAt(head);
            var stamp = Volatile.Read(ref slot.Stamp);
            if (stamp == head + 1)
            {
                var seen = Interlocked.CompareExchange(ref _positions.Head, NextPosition(head), head);
                if (seen == head)
                {
                    item = Take(ref slot, head);
                    return true;
                }
                head = seen;
                continue;
            }
            if (stamp == head && (Volatile.Read(ref _positions.Tail) & ~_markBit) == head)
            {
                item = default;
                return false; // empty
            }
            var again = Volatile.Read(ref _positions.Head);
            if (again != head)
            {
                head = again;
                continue;
            }
            // A writer between its CAS and its stamp (or a stale head): a moment, then the caller may wait (its
            // waiter's look waits that writer out).
            if (spin.NextSpinWillYield)
            {
                item = default;
                return false;
            }
            Pause(ref spin);
        }
    }

    /// <summary>Takes the item of <paramref name="slot"/>, whose position <paramref name="head"/> this reader's CAS moved past.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Take(ref Slot slot, long head)
    {
        var item = slot.Item;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            slot.Item = default!; // the channel keeps nothing alive that was read
        Volatile.Write(ref slot.Stamp, head + _oneLap);
        // The CAS before this is the full fence before this look: a writer queued before it is seen here, and one
        // queued after it sees the head moved and waits for the stamp instead of sleeping (RoomOrClosed).
        if (_writerWaits.HasWaiters)
            _writerWaits.WakeAll(true);
        if (Volatile.Read(ref _closed) != 0)
            CompleteIfDrained();
        return item;
    }

    /// <summary>Looks at the oldest item without taking it.</summary>
    private bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        var head = Volatile.Read(ref _positions.Head);
        while (true)
        {
            ref var slot = ref SlotAt(head);
            var stamp = Volatile.Read(ref slot.Stamp);
            if (stamp == head + 1)
            {
                item = slot.Item;
                Interlocked.MemoryBarrier(); // the item is read before the stamp and the head are looked at again
                if (Volatile.Read(ref slot.Stamp) == stamp && Volatile.Read(ref _positions.Head) == head)
                    return true; // no reader took (and cleared) the item while it was read, no writer refilled the slot
            }
            var again = Volatile.Read(ref _positions.Head);
            if (again == head)
            {
                item = default;
                return false;
            }
            head = again;
        }
    }

    /// <summary>Whether a reader finds an item now, or the channel is completed and drained.</summary>
    /// <param name="waitOutWriter">
    /// True for the look of a queued waiter: a writer that claimed the slot at the head and has not stamped it yet is
    /// waited out (it may have looked for waiting readers before this one queued). False: that case is No.
    /// </param>
    /// <remarks>
    /// No means empty: the tail is at the head, so the next writer's CAS on the tail comes after this look and its look
    /// at the waiting readers after that CAS.
    /// </remarks>
    private Look ItemOrClosed(bool waitOutWriter)
    {
        var spin = default(SpinWait);
        var head = Volatile.Read(ref _positions.Head);
        while (true)
        {
            if (Volatile.Read(ref SlotAt(head).Stamp) == head + 1)
                return Look.Yes;
            var tail = Volatile.Read(ref _positions.Tail);
            if ((tail & ~_markBit) == head)
                return (tail & _markBit) != 0 ? Look.Closed : Look.No;
            var again = Volatile.Read(ref _positions.Head);
            if (again != head)
            {
                head = again;
                continue;
            }
            if (!waitOutWriter)
                return Look.No;
            Pause(ref spin); // a writer between its CAS and its stamp: a moment
            head = Volatile.Read(ref _positions.Head);
        }
    }

    private ValueTask<T> ReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<T>(cancellationToken);
        if (TryRead(out var item))
            return new ValueTask<T>(item);
        return ReadSlowAsync(cancellationToken);
    }

    private async ValueTask<T> ReadSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitOrThrowClosedAsync(forReaders: true, cancellationToken).ConfigureAwait(false);
            if (TryRead(out var item))
                return item;
        }
    }

    /// <summary>The reader end (shared by every reader: they compete for items).</summary>
    private sealed class LockFreeReader(LockFreeChannel<T> channel) : ChannelReader<T>
    {
        public override Task Completion => channel._completion.Task;

        public override bool CanCount => true;

        public override int Count => channel.Count;

        public override bool CanPeek => true;

        public override bool TryRead([MaybeNullWhen(false)] out T item) => channel.TryRead(out item);

        public override bool TryPeek([MaybeNullWhen(false)] out T item) => channel.TryPeek(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            channel.WaitAsync(forReaders: true, cancellationToken);

        public override ValueTask<T> ReadAsync(CancellationToken cancellationToken = default) =>
            channel.ReadAsync(cancellationToken);
    }
}
