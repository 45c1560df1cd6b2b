using Puma.Buffers;
using Puma.Buffers.Events;

namespace Puma.Runnables.Loop;

/// <summary>
/// The event a loop's inputs are served under (<see cref="Handlers.ServeInputsWhile"/>): inputs are read only while
/// it is set. While it is reset the loop neither reads nor arms its inputs (their items wait in their buffers), and
/// wakes when the event is set.
/// </summary>
internal sealed class InputGate(PumaEvent signal)
{
    private EventWait? _armed;

    public PumaEvent Event { get; } = signal;

    /// <summary>True while the event is set.</summary>
    public bool IsOpen => Event.IsSet;

    /// <summary>
    /// Sets <paramref name="wake"/> when the event is set (at once when it is set by now: the event checks the
    /// condition under its lock as it adds the wait, so a Set after the caller saw the gate closed is not missed).
    /// </summary>
    public void Arm(WakeSignal wake)
    {
        if (_armed is { IsCompleted: false }) return;
        _armed = Event.Arm(EventCondition.Set, 0, wake.Set);
    }

    /// <summary>Takes back the armed wake-up, if any (the loop ended: nothing of it stays pending on the event).</summary>
    public void Disarm()
    {
        if (_armed is { } armed) Event.Disarm(armed);
        _armed = null;
    }
}
