namespace Puma.Buffers;

/// <summary>
/// The waiters of one side of a <see cref="LockFreeChannel{T}"/> (its readers' or its writers'). Only
/// waits take its lock; the other side's hot path reads <see cref="HasWaiters"/>, one load of a field that
/// changes only when someone parks or is woken.
/// </summary>
/// <remarks>
/// No lost wake-ups: a waiter is added with a full fence (<see cref="Interlocked.Exchange(ref int, int)"/> on the
/// count) before its caller looks at the other side's position again, and the other side moves that position by CAS
/// (a full fence) before it reads <see cref="HasWaiters"/>: either the second look sees the position moved, or the
/// other side sees the waiter. (The channel's looks wait out a moved position whose slot is not stamped yet.)
/// </remarks>
internal sealed class ChannelWaiterQueue
{
    private readonly object _gate = new();
    private readonly ChannelWaiter _pooled;
    private ChannelWaiter? _first;
    private ChannelWaiter? _last;
    private int _count;

    public ChannelWaiterQueue() => _pooled = new ChannelWaiter(this);

    /// <summary>True while at least one wait is queued.</summary>
    public bool HasWaiters => Volatile.Read(ref _count) != 0;

    /// <summary>
    /// Queues a new wait (the pooled waiter when <paramref name="token"/> cannot be cancelled and it is free).
    /// The caller must look at the channel again afterwards and wake the queue if what it waits for happened.
    /// </summary>
    public ChannelWaiter Add(CancellationToken token)
    {
        var waiter = !token.CanBeCanceled && _pooled.TryOwn() ? _pooled : new ChannelWaiter(null);
        // Listening before the waiter is queued: the registration is in place before any waker can see the waiter.
        waiter.CancelWith(token, this);
        lock (_gate)
        {
            if (waiter.IsCompleted)
                return waiter; // cancelled while it was being queued: nothing to wake
            waiter.Previous = _last;
            waiter.Next = null;
            if (_last is null)
                _first = waiter;
            else
                _last.Next = waiter;
            _last = waiter;
            waiter.Queued = true;
            Interlocked.Exchange(ref _count, _count + 1); // the full fence the remarks rely on
        }
        return waiter;
    }

    /// <summary>Takes a waiter out of the queue (its wait was cancelled); nothing when it is not queued.</summary>
    public void Remove(ChannelWaiter waiter)
    {
        lock (_gate)
        {
            if (!waiter.Queued)
                return;
            Unlink(waiter);
        }
    }

    /// <summary>Completes every queued wait with <paramref name="result"/>, or with <paramref name="error"/> when not null.</summary>
    public void WakeAll(bool result, Exception? error = null)
    {
        ChannelWaiter? first;
        lock (_gate)
        {
            first = _first;
            for (var w = first; w is not null; w = w.Next)
                w.Queued = false;
            _first = _last = null;
            Volatile.Write(ref _count, 0);
        }
        // Completed outside the lock: a waiter's cancellation callback takes the lock.
        while (first is not null)
        {
            var next = first.Next;
            first.Next = first.Previous = null;
            if (error is null)
                first.TrySetResult(result);
            else
                first.TrySetException(error);
            first = next;
        }
    }

    private void Unlink(ChannelWaiter waiter)
    {
        if (waiter.Previous is null)
            _first = waiter.Next;
        else
            waiter.Previous.Next = waiter.Next;
        if (waiter.Next is null)
            _last = waiter.Previous;
        else
            waiter.Next.Previous = waiter.Previous;
        waiter.Next = waiter.Previous = null;
        waiter.Queued = false;
        Volatile.Write(ref _count, _count - 1);
    }
}
