using Puma.Buffers;
using Puma.Buffers.Events;

namespace Puma.Runnables.Loop;

/// <summary>
/// An event handler of a loop: runs its handler once per new generation of the event it observes (a Set of a reset
/// event, or a Pulse), and wakes the idle loop when one happens. Several generations between two looks are one
/// call; an event that is already set when the runnable registers the handler (as its run starts) is one generation
/// not handled yet, and signals before that are not replayed.
/// </summary>
internal sealed class EventSource
{
    private const int GenerationMask = int.MaxValue;
    private readonly Func<CancellationToken, ValueTask> _handler;
    private int _handled;
    private EventWait? _armed;

    /// <summary>Takes the event's generation now (when the runnable registers its handlers) as handled, or the one before when the event is set.</summary>
    public EventSource(PumaEvent signal, Func<CancellationToken, ValueTask> handler)
    {
        Event = signal;
        _handler = handler;
        var word = signal.ReadWord();
        var generation = EventWord.Generation(word);
        _handled = EventWord.IsSet(word) ? (generation - 1) & GenerationMask : generation;
    }

    public PumaEvent Event { get; }

    /// <summary>Runs the handler when a generation is new since the last call; true when it ran.</summary>
    public async ValueTask<bool> ServeAsync(CancellationToken cancellationToken)
    {
        var generation = EventWord.Generation(Event.ReadWord());
        if (generation == _handled) return false;
        _handled = generation;
        await _handler(cancellationToken);
        return true;
    }

    /// <summary>Sets <paramref name="wake"/> when a new generation comes (at once when it came already); true when it came.</summary>
    public bool Arm(WakeSignal wake)
    {
        if (EventWord.Generation(Event.ReadWord()) != _handled) return true;
        if (_armed is { IsCompleted: false } pending && pending.Generation == _handled) return false;
        if (_armed is { IsCompleted: false } stale) Event.Disarm(stale);
        _armed = Event.Arm(EventCondition.Signalled, _handled, wake.Set);
        return false;
    }
}
