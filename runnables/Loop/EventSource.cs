using Puma.Buffers;
using Puma.Buffers.Events;

namespace Puma.Runnables.Loop;

/// <summary>
/// An event handler of a loop: runs its handler once per new generation of the event it observes (a Set of a reset
/// event, or a Pulse), and wakes the idle loop when one happens. Several generations between two looks are one
/// call; an event that is already set when the loop starts is one generation not handled yet.
/// </summary>
internal sealed class EventSource(PumaEvent signal, Func<CancellationToken, ValueTask> handler)
{
    private const int GenerationMask = int.MaxValue;
    private bool _started;
    private int _handled;
    private EventWait? _armed;

    public PumaEvent Event { get; } = signal;

    /// <summary>Runs the handler when a generation is new since the last call; true when it ran.</summary>
    public async ValueTask<bool> ServeAsync(CancellationToken cancellationToken)
    {
        var word = Event.ReadWord();
        var generation = EventWord.Generation(word);
        if (!_started)
        {
            _started = true;
            _handled = EventWord.IsSet(word) ? (generation - 1) & GenerationMask : generation;
        }
        if (generation == _handled) return false;
        _handled = generation;
        await handler(cancellationToken);
        return true;
    }

    /// <summary>Sets <paramref name="wake"/> when a new generation comes (at once when it came already); true when it came.</summary>
    public bool Arm(WakeSignal wake)
    {
        if (!_started) return true; // not served yet: let the loop serve it first
        if (EventWord.Generation(Event.ReadWord()) != _handled) return true;
        if (_armed is { IsCompleted: false } pending && pending.Generation == _handled) return false;
        if (_armed is { IsCompleted: false } stale) Event.Disarm(stale);
        _armed = Event.Arm(EventCondition.Signalled, _handled, wake.Set);
        return false;
    }
}
