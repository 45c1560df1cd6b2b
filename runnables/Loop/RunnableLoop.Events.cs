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

    /// <summary>Arms the events' wake-ups and, while the inputs are closed, the gate's; true when one is ready already.</summary>
    private bool ArmEvents()
    {
        var ready = false;
        foreach (var source in _handlers.Events)
            ready |= source.Arm(_wake);
        if (_handlers.InputGate is { } gate && !gate.IsOpen)
            ready |= gate.Arm(_wake);
        return ready;
    }
}
