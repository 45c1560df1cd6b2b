using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Events;

/// <summary>
/// The one thread per event and process that parks on the event word for every pending wait of this process, and
/// completes each wait whose condition holds when the word changes. It exists only once a wait had to park, and
/// idles on a monitor (not on the futex, so setters make no syscall for it) while no wait is pending.
/// </summary>
/// <remarks>
/// <para>Lost wake-ups are impossible: a wait is added and checked against the word under the same lock the thread
/// checks under, and the thread parks on the very word value it checked (a change in between makes the park
/// return at once). Parks time out every <see cref="ParkTimeoutMs"/>, so cancelled waits are dropped from the
/// futex's waiter count soon.</para>
/// <para>Waits are completed, failed and cancelled outside the lock, and never block on a cancellation callback
/// (see <see cref="EventWait"/>): a cancel racing a Set cannot deadlock the thread.</para>
/// <para>A process killed while its thread is parked leaves its count in the shared waiter count (there is no
/// per-process slot to take it back from, unlike a ring's reader): the event still works, but from then on every
/// Set and Pulse makes one futex wake syscall, as if someone were parked.</para>
/// </remarks>
internal sealed unsafe class EventWatcher
{
    /// <summary>Longest single park on the futex.</summary>
    public const int ParkTimeoutMs = 250;

    private readonly EventMemory _memory;
    private readonly string _eventName;
    private readonly object _gate = new();
    private readonly List<EventWait> _waits = [];
    private readonly List<EventWait> _ready = [];
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private bool _disposed;

    public EventWatcher(EventMemory memory, string eventName)
    {
        _memory = memory;
        _eventName = eventName;
    }

    /// <summary>How many waits are pending (tests).</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
                return _waits.Count;
        }
    }

    /// <summary>Adds <paramref name="wait"/>, or completes it at once (on this thread) when its condition already holds.</summary>
    /// <exception cref="ObjectDisposedException">The event is disposed.</exception>
    public void Add(EventWait wait, CancellationToken cancellationToken)
    {
        bool pending;
        lock (_gate)
        {
            if (_disposed)
                throw new ObjectDisposedException($"PumaEvent '{_eventName}'");
            pending = !wait.IsReady(Volatile.Read(ref *_memory.Word));
            if (pending)
            {
                _waits.Add(wait);
                if (_thread is null)
                {
                    _thread = new Thread(Run) { IsBackground = true, Name = "Puma event " + _eventName };
                    _thread.Start();
                }
                else
                {
                    Monitor.Pulse(_gate);
                }
            }
        }
        if (!pending)
        {
            wait.Complete();
            return;
        }
        if (!cancellationToken.CanBeCanceled) return;
        wait.Attach(cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var (watcher, pending) = ((EventWatcher, EventWait))state!;
            watcher.Cancel(pending, token);
        }, (this, wait)));
    }

    /// <summary>Drops <paramref name="wait"/> if it is still pending (a loop that no longer needs it).</summary>
    public void Remove(EventWait wait)
    {
        lock (_gate)
            _waits.Remove(wait);
    }

    private void Cancel(EventWait wait, CancellationToken token)
    {
        bool removed;
        lock (_gate)
            removed = _waits.Remove(wait);
        if (removed) wait.Cancel(token);
    }

    private void Run()
    {
        try
        {
            Watch();
        }
        finally
        {
            _ended.TrySetResult();
        }
    }

    private void Watch()
    {
        var word = _memory.Word;
        var waiters = _memory.Waiters;
        while (true)
        {
            int observed;
            bool idle;
            lock (_gate)
            {
                while (_waits.Count == 0 && !_disposed)
                    Monitor.Wait(_gate);
                if (_disposed) return;
                observed = Volatile.Read(ref *word);
                TakeReady(observed);
                idle = _waits.Count == 0;
            }
            // Completed outside the lock: a completion never waits for anything that needs the lock.
            foreach (var wait in _ready)
                wait.Complete();
            _ready.Clear();
            if (idle) continue;
            // Counted before the last look, so a setter that changes the word after that look sees the count and wakes us.
            Interlocked.Increment(ref *waiters);
            try
            {
                if (Volatile.Read(ref *word) == observed && !Volatile.Read(ref _disposed))
                    Futex.Wait(word, observed, ParkTimeoutMs);
            }
            finally
            {
                Interlocked.Decrement(ref *waiters);
            }
        }
    }

    private void TakeReady(int word)
    {
        for (var i = _waits.Count - 1; i >= 0; i--)
        {
            var wait = _waits[i];
            if (!wait.IsReady(word)) continue;
            _waits.RemoveAt(i);
            _ready.Add(wait);
        }
    }

    /// <summary>
    /// Fails every pending wait with <see cref="ObjectDisposedException"/> and tells the thread to stop; the task
    /// completes once the thread has left the mapping (at once when there is no thread).
    /// </summary>
    public Task Stop()
    {
        EventWait[] pending;
        lock (_gate)
        {
            if (_disposed) return _thread is null ? Task.CompletedTask : _ended.Task;
            _disposed = true;
            pending = [.. _waits];
            _waits.Clear();
            Monitor.Pulse(_gate);
        }
        if (_thread is null) return Task.CompletedTask;
        Futex.WakeAll(_memory.Word); // our thread may be parked; other processes' watchers wake too, look and park again
        var error = new ObjectDisposedException($"PumaEvent '{_eventName}'", $"Event '{_eventName}' was disposed while waited for.");
        foreach (var wait in pending)
            wait.Fail(error);
        return _ended.Task;
    }
}
