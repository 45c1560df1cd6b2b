using System.Threading.Tasks.Sources;

namespace Puma.Buffers;

/// <summary>
/// One wait of a <see cref="LockFreeChannel{T}"/> end: the <see cref="ValueTask{TResult}"/> source a
/// <c>WaitToReadAsync</c>/<c>WaitToWriteAsync</c> returns while it cannot answer at once. It completes
/// once: with the result a waker computed, or cancelled by its token; continuations never run inside the
/// waker's call (a reader's await never runs inside <c>TryWrite</c>). A queue keeps one pooled waiter for
/// waits without a token, so a loop that parks and wakes does not allocate.
/// </summary>
internal sealed class ChannelWaiter : IValueTaskSource<bool>
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private readonly ChannelWaiterQueue? _pool;
    private CancellationTokenRegistration _cancellation;
    private int _completed;
    private int _owned;

    /// <param name="pool">The queue this waiter is the pooled waiter of, or null for a one-off waiter.</param>
    public ChannelWaiter(ChannelWaiterQueue? pool) => _pool = pool;

    /// <summary>The next waiter in its queue (guarded by the queue's lock).</summary>
    public ChannelWaiter? Next { get; set; }

    /// <summary>The previous waiter in its queue (guarded by the queue's lock).</summary>
    public ChannelWaiter? Previous { get; set; }

    /// <summary>True when this waiter is in a queue (guarded by the queue's lock).</summary>
    public bool Queued { get; set; }

    /// <summary>The task the caller awaits.</summary>
    public ValueTask<bool> Task => new(this, _core.Version);

    /// <summary>True once the wait is completed (woken or cancelled).</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Takes the pooled waiter for one wait; false while an earlier wait still holds it.</summary>
    public bool TryOwn() => Interlocked.CompareExchange(ref _owned, 1, 0) == 0;

    /// <summary>Listens to <paramref name="token"/>: cancelling takes the waiter out of <paramref name="queue"/> and completes the wait with <see cref="OperationCanceledException"/>.</summary>
    public void CancelWith(CancellationToken token, ChannelWaiterQueue queue)
    {
        if (!token.CanBeCanceled)
            return;
        _cancellation = token.UnsafeRegister(static (state, cancelled) =>
        {
            var (waiter, owner) = ((ChannelWaiter, ChannelWaiterQueue))state!;
            // Completed first: a queue that links it after this sees it completed and leaves it out.
            waiter.TryComplete(false, new OperationCanceledException(cancelled));
            owner.Remove(waiter);
        }, (this, queue));
    }

    /// <summary>Completes the wait with <paramref name="result"/>; false when it was already completed.</summary>
    public bool TrySetResult(bool result) => TryComplete(result, null);

    /// <summary>Completes the wait with <paramref name="error"/>; false when it was already completed.</summary>
    public bool TrySetException(Exception error) => TryComplete(false, error);

    private bool TryComplete(bool result, Exception? error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
            return false;
        _cancellation.Unregister(); // never waits for a running cancel callback (it would need the queue; from inside it: a no-op)
        if (error is null)
            _core.SetResult(result);
        else
            _core.SetException(error);
        return true;
    }

    /// <inheritdoc />
    public bool GetResult(short token)
    {
        if (token != _core.Version)
            throw new InvalidOperationException("This wait's result was already taken: a ValueTask can be awaited once.");
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            if (_pool is not null)
            {
                // Ready for the next wait: the pooled waiter is taken again only after this reset.
                _core.Reset();
                _cancellation = default;
                Volatile.Write(ref _completed, 0);
                Volatile.Write(ref _owned, 0);
            }
        }
    }

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
