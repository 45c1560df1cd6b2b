using System.Threading.Channels;

namespace Puma.Buffers;

internal sealed partial class LockFreeChannel<T>
{
    /// <summary>Writes <paramref name="item"/> when there is room; false when the channel is full or completed.</summary>
    private bool TryWrite(T item)
    {
        var spin = default(SpinWait);
        var tail = Volatile.Read(ref _positions.Tail);
        while (true)
        {
            if ((tail & _markBit) != 0)
                return false; // completed: no CAS below can succeed on a marked tail
            ref var slot = ref SlotAt(tail);
            var stamp = Volatile.Read(ref slot.Stamp);
            if (stamp == tail)
            {
                var seen = Interlocked.CompareExchange(ref _positions.Tail, NextPosition(tail), tail);
                if (seen == tail)
                {
                    slot.Item = item;
                    Volatile.Write(ref slot.Stamp, tail + 1);
                    // The CAS above is the full fence before this look: a reader queued before it is seen here, and one
                    // queued after it sees the tail moved and waits for the stamp instead of sleeping (ItemOrClosed).
                    if (_readerWaits.HasWaiters)
                        _readerWaits.WakeAll(true);
                    return true;
                }
                tail = seen;
                continue;
            }
            // The previous lap's item is still there: full, unless its reader is taking it right now.
            if (stamp + _oneLap == tail + 1 && Volatile.Read(ref _positions.Head) + _oneLap == tail)
                return false;
            var again = Volatile.Read(ref _positions.Tail);
            if (again != tail)
            {
                tail = again;
                continue;
            }
            // A reader between its CAS and its stamp (or a stale tail): a moment, then the caller may wait (its waiter's
            // look waits that reader out).
            if (spin.NextSpinWillYield)
                return false;
            Pause(ref spin);
        }
    }

    /// <summary>Whether a writer finds room now, or the channel completed.</summary>
    /// <param name="waitOutReader">
    /// True for the look of a queued waiter: a reader that took the slot at the tail and has not stamped it yet is
    /// waited out (it may have looked for waiting writers before this one queued). False: that case is No.
    /// </param>
    /// <remarks>
    /// No means full: no reader has taken the slot at the tail (the head is a lap behind), so the next reader's CAS on
    /// the head comes after this look and its look at the waiting writers after that CAS.
    /// </remarks>
    private Look RoomOrClosed(bool waitOutReader)
    {
        var spin = default(SpinWait);
        var tail = Volatile.Read(ref _positions.Tail);
        while (true)
        {
            if ((tail & _markBit) != 0)
                return Look.Closed;
            if (Volatile.Read(ref SlotAt(tail).Stamp) == tail)
                return Look.Yes;
            var again = Volatile.Read(ref _positions.Tail);
            if (again != tail)
            {
                tail = again;
                continue;
            }
            if (!waitOutReader || Volatile.Read(ref _positions.Head) + _oneLap == tail)
                return Look.No;
            Pause(ref spin); // a reader between its CAS and its stamp: a moment
            tail = Volatile.Read(ref _positions.Tail);
        }
    }

    private ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        if (TryWrite(item))
            return default;
        return WriteSlowAsync(item, cancellationToken);
    }

    private async ValueTask WriteSlowAsync(T item, CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitOrThrowClosedAsync(forReaders: false, cancellationToken).ConfigureAwait(false);
            if (TryWrite(item))
                return;
        }
    }

    /// <summary>The writer end.</summary>
    private sealed class LockFreeWriter(LockFreeChannel<T> channel) : ChannelWriter<T>, IRoomProbe
    {
        public bool HasRoom => channel.RoomOrClosed(waitOutReader: false) == Look.Yes;

        public override bool TryWrite(T item) => channel.TryWrite(item);

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            channel.WaitAsync(forReaders: false, cancellationToken);

        public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default) =>
            channel.WriteAsync(item, cancellationToken);

        public override bool TryComplete(Exception? error = null) => channel.TryComplete(error);
    }
}
