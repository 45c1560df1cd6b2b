namespace Puma.Buffers.Events;

/// <summary>One pending wait on an event: its condition, and what to do when it holds (complete a task or run a callback).</summary>
internal sealed class EventWait
{
    private readonly Action? _callback;
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

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>True once <see cref="Complete"/> or <see cref="Fail"/> ran.</summary>
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

    /// <summary>Completes the wait (true: the condition held); a callback runs on the calling thread and must be short.</summary>
    public void Complete()
    {
        _completed = true;
        Registration.Dispose();
        if (Completion is not null) Completion.TrySetResult(true);
        else _callback!();
    }

    /// <summary>Ends the wait with <paramref name="error"/> (a callback wait is simply dropped).</summary>
    public void Fail(Exception error)
    {
        _completed = true;
        Registration.Dispose();
        Completion?.TrySetException(error);
    }
}
