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

    /// <summary>Sets <paramref name="wake"/> when the event is set; true when it is set already.</summary>
    public bool Arm(WakeSignal wake)
    {
        if (IsOpen) return true;
        if (_armed is { IsCompleted: false }) return false;
        _armed = Event.Arm(EventCondition.Set, 0, wake.Set);
        return false;
    }
}
