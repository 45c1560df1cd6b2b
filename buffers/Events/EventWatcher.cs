using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Events;

/// <summary>
/// The one thread per event and process that parks on the event word for every pending wait of this process, and
/// completes each wait whose condition holds when the word changes. It exists only once a wait had to park, and
/// idles on a monitor (not on the futex, so setters make no syscall for it) while no wait is pending.
/// </summary>
/// <remarks>
/// Lost wake-ups are impossible: a wait is added and checked against the word under the same lock the thread
/// checks under, and the thread parks on the very word value it checked (a change in between makes the park
/// return at once). Parks time out every <see cref="ParkTimeoutMs"/>, so cancelled waits are dropped from the
/// futex's waiter count soon.
/// </remarks>
internal sealed unsafe class EventWatcher
{
    /// <summary>Longest single park on the futex.</summary>
    public const int ParkTimeoutMs = 250;

    private readonly EventMemory _memory;
    private readonly string _eventName;
    private readonly object _gate = new();
    private readonly List<EventWait> _waits = [];
    private Thread? _thread;
    private bool _disposed;

    public EventWatcher(EventMemory memory, string eventName)
    {
        _memory = memory;
        _eventName = eventName;
    }

    /// <summary>Adds <paramref name="wait"/>, or completes it at once when its condition already holds.</summary>
    public void Add(EventWait wait, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(PumaEvent));
            if (wait.IsReady(Volatile.Read(ref *_memory.Word)))
            {
                wait.Complete();
                return;
            }
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
        if (!cancellationToken.CanBeCanceled) return;
        wait.Registration = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var (watcher, pending) = ((EventWatcher, EventWait))state!;
            watcher.Cancel(pending, token);
        }, (this, wait));
        if (wait.Completion is { Task.IsCompleted: true }) wait.Registration.Dispose(); // completed before the registration existed
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
        if (removed) wait.Completion?.TrySetCanceled(token);
    }

    private void Run()
    {
        var word = _memory.Word;
        var waiters = _memory.Waiters;
        while (true)
        {
            int observed;
            lock (_gate)
            {
                while (_waits.Count == 0 && !_disposed)
                    Monitor.Wait(_gate);
                if (_disposed) return;
                observed = Volatile.Read(ref *word);
                CompleteReady(observed);
                if (_waits.Count == 0) continue;
            }
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

    private void CompleteReady(int word)
    {
        for (var i = _waits.Count - 1; i >= 0; i--)
        {
            var wait = _waits[i];
            if (!wait.IsReady(word)) continue;
            _waits.RemoveAt(i);
            wait.Complete();
        }
    }

    /// <summary>
    /// Fails every pending wait with <see cref="ObjectDisposedException"/> and stops the thread. True once the thread
    /// has left the mapping (false when it did not stop within 10 s: the mapping must then stay).
    /// </summary>
    public bool Dispose()
    {
        EventWait[] pending;
        lock (_gate)
        {
            if (_disposed) return true;
            _disposed = true;
            pending = [.. _waits];
            _waits.Clear();
            Monitor.Pulse(_gate);
        }
        Futex.WakeAll(_memory.Word); // our thread may be parked; other processes' watchers wake too, look and park again
        var stopped = _thread is null || _thread.Join(TimeSpan.FromSeconds(10));
        var error = new ObjectDisposedException(nameof(PumaEvent), $"Event '{_eventName}' was disposed while waited for.");
        foreach (var wait in pending)
            wait.Fail(error);
        return stopped;
    }
}
