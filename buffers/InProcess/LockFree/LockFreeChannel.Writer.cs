using System.Runtime.ExceptionServices;
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
            ref var slot = ref _slots[(int)(tail & (_markBit - 1))];
            var stamp = Volatile.Read(ref slot.Stamp);
            if (stamp == tail)
            {
                var seen = Interlocked.CompareExchange(ref _positions.Tail, NextPosition(tail), tail);
                if (seen == tail)
                {
                    slot.Item = item;
                    // The exchange is the full fence between the stamp and the look at the waiting readers.
                    Interlocked.Exchange(ref slot.Stamp, tail + 1);
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
            // Another end is between its CAS and its stamp: a moment, then the caller may wait (that end wakes it).
            if (spin.NextSpinWillYield)
                return false;
            Pause(ref spin);
        }
    }

    /// <summary>Whether a writer finds room now, or the channel completed.</summary>
    private Look RoomOrClosed()
    {
        var tail = Volatile.Read(ref _positions.Tail);
        while (true)
        {
            if ((tail & _markBit) != 0)
                return Look.Closed;
            if (Volatile.Read(ref _slots[(int)(tail & (_markBit - 1))].Stamp) == tail)
                return Look.Yes;
            var again = Volatile.Read(ref _positions.Tail);
            if (again == tail)
                return Look.No;
            tail = again;
        }
    }

    private ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<bool>(cancellationToken);
        var look = RoomOrClosed();
        if (look != Look.No)
            return look == Look.Yes ? new ValueTask<bool>(true) : ClosedWait();
        var waiter = _writerWaits.Add(cancellationToken);
        look = RoomOrClosed(); // the second look: a reader that freed a slot before the waiter was queued did not see it
        if (look == Look.Yes)
            _writerWaits.WakeAll(true);
        else if (look == Look.Closed)
            WakeClosed(_writerWaits);
        return waiter.Task;
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
            bool room;
            try
            {
                room = await WaitToWriteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                ExceptionDispatchInfo.Throw(ClosedException(e)); // the completion error's own trace is kept
                throw;
            }
            if (!room)
                throw ClosedException(null);
            if (TryWrite(item))
                return;
        }
    }

    /// <summary>The writer end.</summary>
    private sealed class LockFreeWriter(LockFreeChannel<T> channel) : ChannelWriter<T>, IRoomProbe
    {
        public bool HasRoom => channel.RoomOrClosed() == Look.Yes;

        public override bool TryWrite(T item) => channel.TryWrite(item);

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            channel.WaitToWriteAsync(cancellationToken);

        public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default) =>
            channel.WriteAsync(item, cancellationToken);

        public override bool TryComplete(Exception? error = null) => channel.TryComplete(error);
    }
}
