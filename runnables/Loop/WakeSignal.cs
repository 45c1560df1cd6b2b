namespace Puma.Runnables.Loop;

/// <summary>An auto-reset signal the loop awaits when it has nothing to do; a Set before the wait is kept.</summary>
internal sealed class WakeSignal
{
    private readonly object _gate = new();
    private bool _set;
    private TaskCompletionSource? _waiter;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null)
            {
                _set = true;
                return;
            }
        }
        waiter.TrySetResult();
    }

    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }
}
