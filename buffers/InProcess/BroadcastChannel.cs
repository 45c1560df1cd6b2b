using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Puma.Buffers;

/// <summary>
/// An in-process bounded channel in which every reader sees every item. The writer waits while
/// any attached reader holds <c>capacity</c> unread items; a detached reader (one whose runnable
/// ended) no longer holds the writer back.
/// </summary>
internal sealed class BroadcastChannel<T>
{
    private readonly int _capacity;
    private readonly Subscriber[] _subscribers;
    private readonly object _gate = new();
    private TaskCompletionSource? _spaceWaiter;
    private bool _completed;
    private Exception? _completionError;

    public BroadcastChannel(int capacity, int readers)
    {
        _capacity = capacity;
        _subscribers = new Subscriber[readers];
        for (var i = 0; i < readers; i++)
            _subscribers[i] = new Subscriber(this);
        Writer = new BroadcastWriter(this);
    }

    public ChannelWriter<T> Writer { get; }

    public IReadOnlyList<ChannelReader<T>> Readers => _subscribers;

    /// <summary>Stops waiting for reader <paramref name="index"/>: its runnable has ended.</summary>
    public void Detach(int index)
    {
        _subscribers[index].Detached = true;
        SignalSpace();
    }

    private bool TryWrite(T item)
    {
        lock (_gate)
        {
            if (_completed)
                return false;
            foreach (var s in _subscribers)
            {
                if (!s.Detached && Volatile.Read(ref s.Unread) >= _capacity)
                    return false;
            }

            foreach (var s in _subscribers)
            {
                if (s.Detached)
                    continue;
                Interlocked.Increment(ref s.Unread);
                s.Items.Writer.TryWrite(item);
            }
            return true;
        }
    }

    private async ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_completed)
                    return _completionError is null ? false : throw _completionError;
                if (HasSpace())
                    return true;
                _spaceWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _spaceWaiter.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool HasSpace()
    {
        foreach (var s in _subscribers)
        {
            if (!s.Detached && Volatile.Read(ref s.Unread) >= _capacity)
                return false;
        }

        return true;
    }

    private bool TryComplete(Exception? error)
    {
        lock (_gate)
        {
            if (_completed)
                return false;
            _completed = true;
            _completionError = error;
        }
        foreach (var s in _subscribers)
            s.Items.Writer.TryComplete(error);
        SignalSpace();
        return true;
    }

    private void SignalSpace()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _spaceWaiter;
            _spaceWaiter = null;
        }
        waiter?.TrySetResult();
    }

    private void OnItemRead(Subscriber subscriber)
    {
        if (Interlocked.Decrement(ref subscriber.Unread) == _capacity - 1)
            SignalSpace();
    }

    private sealed class BroadcastWriter(BroadcastChannel<T> owner) : ChannelWriter<T>, IRoomProbe
    {
        public bool HasRoom => owner.HasSpace();

        public override bool TryWrite(T item) => owner.TryWrite(item);

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            owner.WaitToWriteAsync(cancellationToken);

        // Stryker disable once Conditional : the slow path starts with the same completion and space checks and TryWrite; the fast path only saves its state machine
        public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default) =>
            owner.TryWrite(item) ? default : WriteSlowAsync(item, cancellationToken);

        private async ValueTask WriteSlowAsync(T item, CancellationToken cancellationToken)
        {
            while (await owner.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
            {
                if (owner.TryWrite(item))
                    return;
            }

            throw new ChannelClosedException(owner._completionError);
        }

        public override bool TryComplete(Exception? error = null) => owner.TryComplete(error);
    }

    private sealed class Subscriber(BroadcastChannel<T> owner) : ChannelReader<T>
    {
        // The defaults: no continuation runs inside another end's call (a reader's await never runs in TryWrite).
        public readonly Channel<T> Items = Channel.CreateUnbounded<T>();
        public int Unread;
        public volatile bool Detached;

        public override Task Completion => Items.Reader.Completion;

        public override bool CanCount => true;

        public override int Count => Items.Reader.Count;

        public override bool TryRead([MaybeNullWhen(false)] out T item)
        {
            if (!Items.Reader.TryRead(out item))
                return false;
            owner.OnItemRead(this);
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            Items.Reader.WaitToReadAsync(cancellationToken);
    }
}
