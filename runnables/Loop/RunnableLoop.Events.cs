namespace Puma.Runnables.Loop;

// The loop's events: event handlers served each turn (after ticks, before inputs), and the gate of its inputs.
internal sealed partial class RunnableLoop
{
    private static readonly List<InputSource> NoInputs = [];

    /// <summary>True when the inputs may be served now: no gate, or the gate's event is set.</summary>
    private bool InputsOpen => _handlers.InputGate is not { IsOpen: false };

    /// <summary>Runs the handler of every event that has a new generation; true when one ran.</summary>
    private async ValueTask<bool> ServeEventsAsync(CancellationToken ct)
    {
        var progress = false;
        foreach (var source in _handlers.Events)
        {
            if (await source.ServeAsync(ct))
                progress = true;
            if (_stopRequested)
                return progress;
        }
        return progress;
    }

    /// <summary>
    /// Arms the events' wake-ups and, when the gate is closed, the gate's; true when an event is ready already.
    /// <paramref name="inputsOpen"/> is the gate as read once here: open, the caller arms the inputs; closed, the gate
    /// is armed (a Set since this read wakes the loop at once), so the loop never parks with neither armed.
    /// </summary>
    private bool ArmEvents(out bool inputsOpen)
    {
        var ready = false;
        foreach (var source in _handlers.Events)
            ready |= source.Arm(_wake);
        inputsOpen = InputsOpen;
        if (!inputsOpen)
            _handlers.InputGate!.Arm(_wake);
        return ready;
    }

    /// <summary>Takes back every wake-up the loop armed on its events (it ended: none stays pending on an event).</summary>
    private void DisarmEvents()
    {
        foreach (var source in _handlers.Events)
            source.Disarm();
        _handlers.InputGate?.Disarm();
    }
}
