using System.Threading.Tasks.Sources;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// Runs an end's blocking wait on a dedicated background thread and completes a reusable
/// <see cref="ValueTask{TResult}"/>, so async waits never block a thread-pool thread. One wait
/// at a time uses the reusable source; a concurrent second wait falls back to a long-running task.
/// </summary>
internal sealed class DedicatedWaiter : IValueTaskSource<bool>, IDisposable
{
    private readonly Func<CancellationToken, bool> _blockingWait;
    private readonly Action _wake;
    private readonly string _threadName;
    private readonly SemaphoreSlim _start = new(0);
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private Thread? _thread;
    private CancellationToken _cancellationToken;
    private int _busy;
    private volatile bool _disposed;

    /// <param name="blockingWait">The wait to run; returns its result or throws.</param>
    /// <param name="wake">Wakes the parked wait early (on cancellation).</param>
    /// <param name="threadName">Name of the dedicated thread.</param>
    public DedicatedWaiter(Func<CancellationToken, bool> blockingWait, Action wake, string threadName)
    {
        _blockingWait = blockingWait;
        _wake = wake;
        _threadName = threadName;
    }

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            var wait = _blockingWait;
            return new ValueTask<bool>(Task.Factory.StartNew(() => wait(cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default));
        }
        _core.Reset();
        _cancellationToken = cancellationToken;
        if (_thread is null)
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = _threadName };
            _thread.Start();
        }
        _start.Release();
        return new ValueTask<bool>(this, _core.Version);
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait();
            if (_disposed && Volatile.Read(ref _busy) == 0) return;
            CancellationToken token = _cancellationToken;
            CancellationTokenRegistration registration = token.CanBeCanceled
                ? token.UnsafeRegister(static state => ((Action)state!)(), _wake)
                : default;
            try
            {
                bool result = _blockingWait(token);
                registration.Dispose();
                _core.SetResult(result);
            }
            catch (Exception error)
            {
                registration.Dispose();
                _core.SetException(error);
            }
            if (_disposed) return;
        }
    }

    public bool GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Stops the thread: a pending wait ends when the blocking wait notices the end's disposal
    /// (the end is marked disposed first). Waits for the thread to leave the shared memory, bounded
    /// by about one park timeout, so the ring can be unmapped safely afterwards.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _wake();
        _start.Release();
        if (_thread is not null && _thread != Thread.CurrentThread) _thread.Join(TimeSpan.FromMilliseconds(4 * RingWait.ParkTimeoutMs));
    }
}
