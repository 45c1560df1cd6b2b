namespace Puma.Buffers.Events;

/// <summary>One pending wait on an event: its condition, and what to do when it holds (complete a task or run a callback).</summary>
/// <remarks>
/// Completing, failing and cancelling a wait never block: its cancellation registration is handed off under the
/// wait's own lock (whoever comes second, the completion or the registration, unregisters it) and unregistered
/// with <see cref="CancellationTokenRegistration.Unregister"/>, which does not wait for a running callback.
/// </remarks>
internal sealed class EventWait
{
    private readonly Action? _callback;
    private readonly Lock _registrationGate = new();
    private CancellationTokenRegistration _registration;
    private volatile bool _completed;

    public EventWait(EventCondition condition, int generation, Action? callback)
    {
        Condition = condition;
        Generation = generation;
        _callback = callback;
        Completion = callback is null ? new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public EventCondition Condition { get; }

    /// <summary>The generation the waiter saw when it began.</summary>
    public int Generation { get; }

    /// <summary>The task of an awaited wait; null for a callback.</summary>
    public TaskCompletionSource<bool>? Completion { get; }

    /// <summary>True once <see cref="Complete"/>, <see cref="Fail"/> or <see cref="Cancel"/> ran.</summary>
    public bool IsCompleted => _completed;

    /// <summary>True when the condition holds for <paramref name="word"/>.</summary>
    public bool IsReady(int word) => Holds(Condition, Generation, word);

    /// <summary>True when <paramref name="condition"/>, counted from <paramref name="generation"/>, holds for <paramref name="word"/>.</summary>
    public static bool Holds(EventCondition condition, int generation, int word) => condition switch
    {
        EventCondition.Set => EventWord.IsSet(word),
        EventCondition.Signalled => EventWord.Generation(word) != generation,
        _ => EventWord.IsSet(word) || EventWord.Generation(word) != generation,
    };

    /// <summary>Keeps <paramref name="registration"/> until the wait ends; unregisters it at once when the wait has ended already.</summary>
    public void Attach(CancellationTokenRegistration registration)
    {
        lock (_registrationGate)
        {
            if (!_completed)
            {
                _registration = registration;
                return;
            }
        }
        registration.Unregister();
    }

    /// <summary>Completes the wait (true: the condition held); a callback runs on the calling thread and must be short.</summary>
    public void Complete()
    {
        End();
        if (Completion is not null) Completion.TrySetResult(true);
        else _callback!();
    }

    /// <summary>Ends the wait with <paramref name="error"/> (a callback wait is simply dropped).</summary>
    public void Fail(Exception error)
    {
        End();
        Completion?.TrySetException(error);
    }

    /// <summary>Ends the wait as cancelled by <paramref name="token"/>.</summary>
    public void Cancel(CancellationToken token)
    {
        End();
        Completion?.TrySetCanceled(token);
    }

    private void End()
    {
        CancellationTokenRegistration registration;
        lock (_registrationGate)
        {
            _completed = true;
            registration = _registration;
            _registration = default;
        }
        registration.Unregister();
    }
}
