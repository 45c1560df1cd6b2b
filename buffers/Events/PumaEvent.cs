using System.Diagnostics;
using System.Text.Json.Serialization;
using Puma.Buffers.Events;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

/// <summary>
/// A process-shared event: <see cref="Set"/>, <see cref="Reset"/>, <see cref="Pulse"/> and <see cref="WaitAsync(CancellationToken)"/>
/// from any thread of any process that holds it. One 32-bit word in a shared-memory segment carries its state and a
/// generation that every Set of a reset event and every Pulse advances; waiters spin briefly on it, then park on it
/// (a Linux futex), counted, so that setting an event nobody waits for costs no system call.
/// </summary>
/// <remarks>
/// <para>Create one with <c>PumaRuntime.CreateEvent(name)</c> (the runtime disposes it after its runnables) or
/// <see cref="Create"/>, and give it to runnables as a property: in a thread the runnable holds this object, in a
/// child process an instance that maps the same segment on first use (the event crosses as JSON: its name and
/// segment name). Children of the creating process can attach while the creator holds the event.</para>
/// <para>Semantics: a wait completes when the event is set, or when a Set or Pulse happened after the wait began
/// (so a Set immediately followed by a Reset still wakes every pending wait). Set on a set event and Reset on a
/// reset one change nothing. Pulse wakes the pending waits and leaves the event reset.</para>
/// <para>Disposing an event while another thread uses it is safe: that thread's next call throws
/// <see cref="ObjectDisposedException"/>, and the segment is unmapped once no call is in progress.</para>
/// </remarks>
[JsonConverter(typeof(PumaEventJsonConverter))]
public sealed class PumaEvent : IAsyncDisposable, IDisposable
{
    /// <summary>The longest event name, in characters.</summary>
    public const int MaxNameLength = 256;

    private static readonly long SpinTicks = Stopwatch.Frequency / 50_000; // 20 µs

    private readonly object _attachGate = new();
    private readonly string _segmentName;
    private readonly UseCount _users;
    private EventMemory? _memory;
    private EventWatcher? _watcher;

    private PumaEvent(string name, string segmentName, EventMemory? memory)
    {
        Name = name;
        _segmentName = segmentName;
        _memory = memory;
        _users = new UseCount(() => _memory?.Dispose());
    }

    /// <summary>The event's name (for logs and errors; the runtime keeps names unique).</summary>
    public string Name { get; }

    /// <summary>The shared segment's name: what another process attaches to.</summary>
    internal string SegmentName => _segmentName;

    /// <summary>True while the event is set.</summary>
    /// <exception cref="ObjectDisposedException">The event is disposed.</exception>
    /// <exception cref="BufferCorruptedException">This process attached to a segment whose header is not a Puma event's.</exception>
    public bool IsSet => EventWord.IsSet(ReadWord());

    /// <summary>Creates a reset event in a new shared segment.</summary>
    /// <param name="name">The event's name: 1 to <see cref="MaxNameLength"/> characters, not only white space.</param>
    /// <returns>The event; dispose it when every holder is done with it.</returns>
    /// <exception cref="ArgumentException">The name is empty, white space, or longer than <see cref="MaxNameLength"/>.</exception>
    public static PumaEvent Create(string name)
    {
        ValidateName(name);
        var memory = EventMemory.Create();
        return new PumaEvent(name, memory.SegmentName, memory);
    }

    /// <summary>An event that attaches to <paramref name="segmentName"/> on first use (how a child process receives one).</summary>
    internal static PumaEvent Attaching(string name, string segmentName) => new(name, segmentName, null);

    /// <summary>Sets the event: pending waits complete, and waits complete at once until <see cref="Reset"/>. Nothing changes when it is set already.</summary>
    /// <exception cref="ObjectDisposedException">The event is disposed.</exception>
    public unsafe void Set()
    {
        var memory = Enter();
        try
        {
            var word = memory.Word;
            while (true)
            {
                var current = Volatile.Read(ref *word);
                if (EventWord.IsSet(current)) return;
                if (Interlocked.CompareExchange(ref *word, EventWord.NextSet(current), current) == current) break;
            }
            WakeParked(memory);
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>Resets the event: waits that begin from now on wait for the next <see cref="Set"/> or <see cref="Pulse"/>.</summary>
    /// <exception cref="ObjectDisposedException">The event is disposed.</exception>
    public unsafe void Reset()
    {
        var memory = Enter();
        try
        {
            var word = memory.Word;
            while (true)
            {
                var current = Volatile.Read(ref *word);
                if (!EventWord.IsSet(current)) return;
                if (Interlocked.CompareExchange(ref *word, EventWord.Cleared(current), current) == current) return;
            }
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>
    /// Wakes every pending wait (in every process) and leaves the event reset: a wait that begins after the pulse
    /// does not see it. A set event is reset by it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The event is disposed.</exception>
    public unsafe void Pulse()
    {
        var memory = Enter();
        try
        {
            var word = memory.Word;
            while (true)
            {
                var current = Volatile.Read(ref *word);
                if (Interlocked.CompareExchange(ref *word, EventWord.NextReset(current), current) == current) break;
            }
            WakeParked(memory);
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>Waits until the event is set, or a <see cref="Set"/> or <see cref="Pulse"/> happens.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the event is signalled; at once when it is set.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The event is (or was, while waited for) disposed.</exception>
    public unsafe ValueTask WaitAsync(CancellationToken cancellationToken = default)
    {
        var memory = Enter();
        try
        {
            var start = Volatile.Read(ref *memory.Word);
            if (EventWord.IsSet(start)) return default;
            cancellationToken.ThrowIfCancellationRequested();
            var generation = EventWord.Generation(start);
            if (SpinUntil(memory, EventCondition.SetOrSignalled, generation)) return default;
            var wait = new EventWait(EventCondition.SetOrSignalled, generation, callback: null);
            WatcherOf(memory).Add(wait, cancellationToken);
            return new ValueTask(wait.Completion!.Task);
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>Waits until the event is set, or a <see cref="Set"/> or <see cref="Pulse"/> happens, at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait: zero or more, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when the event was signalled; false when the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (other than infinite) or longer than <see cref="int.MaxValue"/> ms.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    public async ValueTask<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if ((timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan) || timeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"Event '{Name}': a wait's timeout must be from 0 to {int.MaxValue} ms, or infinite.");
        var pending = WaitAsync(cancellationToken);
        if (pending.IsCompleted)
        {
            await pending.ConfigureAwait(false);
            return true;
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await pending.AsTask().WaitAsync(timer.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The event word now (state and generation).</summary>
    internal unsafe int ReadWord()
    {
        var memory = Enter();
        try
        {
            return Volatile.Read(ref *memory.Word);
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>
    /// Calls <paramref name="callback"/> (on the event's watcher thread: keep it short) once <paramref name="condition"/>
    /// holds, counted from <paramref name="generation"/>; at once, on this thread, when it holds already.
    /// </summary>
    internal EventWait Arm(EventCondition condition, int generation, Action callback)
    {
        var memory = Enter();
        try
        {
            var wait = new EventWait(condition, generation, callback);
            WatcherOf(memory).Add(wait, CancellationToken.None);
            return wait;
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>Drops a wait made by <see cref="Arm"/> that is no longer needed.</summary>
    internal void Disarm(EventWait wait) => Volatile.Read(ref _watcher)?.Remove(wait);

    /// <summary>Writes <paramref name="magic"/> over the segment's magic (tests: a corrupt segment).</summary>
    internal void CorruptMagic(ulong magic)
    {
        var memory = Enter();
        try
        {
            memory.OverwriteMagic(magic);
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>
    /// Stops this process's waiter thread and fails pending waits with <see cref="ObjectDisposedException"/>; later
    /// calls throw it too. The segment is unmapped once no thread is inside a call any more.
    /// </summary>
    public void Dispose()
    {
        if (!_users.TryEnter()) return;
        try
        {
            if (!_users.Close()) return;
            EventWatcher? watcher;
            lock (_attachGate)
                watcher = _watcher;
            if (watcher is not null && watcher.Dispose())
                _users.Exit(); // the watcher's own count, now that its thread has left the mapping
        }
        finally
        {
            _users.Exit();
        }
    }

    /// <summary>As <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <inheritdoc />
    public override string ToString() => $"PumaEvent '{Name}'";

    /// <summary>Counts the calling thread in (call <see cref="UseCount.Exit"/> after) and returns the mapping, attaching on first use.</summary>
    private EventMemory Enter()
    {
        if (!_users.TryEnter())
            throw new ObjectDisposedException(ToString());
        var memory = Volatile.Read(ref _memory);
        if (memory is not null) return memory;
        try
        {
            lock (_attachGate)
                return _memory ??= EventMemory.Open(Name, _segmentName);
        }
        catch
        {
            _users.Exit();
            throw;
        }
    }

    /// <summary>The waiter thread of this process (made on first need, with its own count in); call while counted in.</summary>
    private EventWatcher WatcherOf(EventMemory memory)
    {
        var watcher = Volatile.Read(ref _watcher);
        if (watcher is not null) return watcher;
        lock (_attachGate)
        {
            if (_watcher is null)
            {
                if (!_users.TryEnter())
                    throw new ObjectDisposedException(ToString());
                _watcher = new EventWatcher(memory, Name);
            }
            return _watcher;
        }
    }

    private static unsafe bool SpinUntil(EventMemory memory, EventCondition condition, int generation)
    {
        var word = memory.Word;
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; ; i++)
        {
            if ((i & 15) == 0) Thread.Yield();
            else Thread.SpinWait(8);
            if (EventWait.Holds(condition, generation, Volatile.Read(ref *word))) return true;
            if (Stopwatch.GetTimestamp() - start > SpinTicks) return false;
        }
    }

    private static unsafe void WakeParked(EventMemory memory)
    {
        if (Volatile.Read(ref *memory.Waiters) != 0) Futex.WakeAll(memory.Word);
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxNameLength)
            throw new ArgumentException($"Event name '{name[..32]}...' is {name.Length} characters long; the limit is {MaxNameLength}.", nameof(name));
    }
}
