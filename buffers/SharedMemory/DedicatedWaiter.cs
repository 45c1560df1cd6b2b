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
    private int _requested;
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
        Volatile.Write(ref _requested, 1);
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
            // Serve only a wait that was requested and not served yet (a release from Dispose alone is not one).
            if (Interlocked.Exchange(ref _requested, 0) == 1) Serve();
            if (_disposed) return;
        }
    }

    private void Serve()
    {
        var token = _cancellationToken;
        CancellationTokenRegistration registration = default;
        // Stryker disable once Boolean : read only after _blockingWait returned and overwrote it (a throw sets the failure instead)
        var result = false;
        Exception? failure = null;
        try
        {
            if (token.CanBeCanceled) registration = token.UnsafeRegister(static state => ((Action)state!)(), _wake);
            result = _blockingWait(token);
        }
        catch (Exception error)
        {
            failure = error;
        }
        finally
        {
            registration.Dispose();
        }
        try
        {
            if (failure is null) _core.SetResult(result);
            else _core.SetException(failure);
        }
        catch (InvalidOperationException)
        {
            // Already completed: never let a background thread take the process down.
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
    public void Dispose() => Stop();

    /// <summary>As <see cref="Dispose"/>; false when the thread is still running after a generous timeout (do not unmap then).</summary>
    public bool Stop()
    {
        if (!_disposed)
        {
            _disposed = true;
            _wake();
            _start.Release();
        }
        if (_thread is null || _thread == Thread.CurrentThread) return true;
        return _thread.Join(TimeSpan.FromSeconds(10));
    }
}
