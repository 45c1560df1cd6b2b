using Puma.Buffers;
using Puma.Runnables.Loop;

namespace Puma.Runnables;

// Events in the loop: a handler per event, and the event the inputs are served under.
public sealed partial class Handlers
{
    internal readonly List<EventSource> Events = new();

    internal InputGate? InputGate { get; private set; }

    /// <summary>
    /// Runs <paramref name="handler"/> in the loop (never at the same time as another handler of this runnable) each
    /// time it observes a new signal of <paramref name="signal"/>: a <see cref="PumaEvent.Set"/> of the reset event or a
    /// <see cref="PumaEvent.Pulse"/>, from any process.
    /// </summary>
    /// <remarks>
    /// Edge-triggered: one call per signal observed, not one per turn while the event stays set (a Set that stays
    /// set is one call; a Reset is none). Signals that come faster than the handler runs are coalesced: several between
    /// two looks of the loop are one call, so count items, not calls. An event that is already set when the run starts
    /// (when this registration runs) gives one call; pulses before that are not seen. A thread runnable has registered
    /// its handlers when <c>StartAsync</c> returns; a process runnable when its child is ready (after its first reply
    /// to a request, for instance). Read <see cref="PumaEvent.IsSet"/> in the handler to tell a Set from a Pulse (it may
    /// have changed again since).
    /// </remarks>
    /// <param name="signal">The event; made by <c>PumaRuntime.CreateEvent</c> and passed as a property of the runnable.</param>
    /// <param name="handler">Called once per signal observed; the token is cancelled on Stop.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentNullException">The event (is the property set?) or the handler is null.</exception>
    /// <exception cref="InvalidOperationException">A handler is registered for this event already.</exception>
    public Handlers Event(PumaEvent signal, Func<CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (signal is null)
            throw new ArgumentNullException(nameof(signal), $"Runnable '{_runnableName}' registered an event handler for a null event: is the event property set?");
        if (Events.Exists(e => ReferenceEquals(e.Event, signal)))
            throw new InvalidOperationException($"Runnable '{_runnableName}' registered two handlers for event '{signal.Name}'.");
        Events.Add(new EventSource(signal, handler));
        return this;
    }

    /// <summary>Runs <paramref name="handler"/> in the loop once per signal of <paramref name="signal"/> it observes, synchronously. See the asynchronous overload.</summary>
    /// <param name="signal">The event.</param>
    /// <param name="handler">Called once per signal observed.</param>
    /// <returns>This registry.</returns>
    public Handlers Event(PumaEvent signal, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Event(signal, _ => { handler(); return default; });
    }

    /// <summary>
    /// Makes the runnable toggleable: its inputs are served only while <paramref name="signal"/> is set. While it is
    /// reset no item is taken from any input (they wait in their buffers, whose writers feel the backpressure),
    /// commands, requests, ticks and event handlers are still served, and nothing is lost: once it is set again every
    /// waiting item is handled, once, in order.
    /// </summary>
    /// <remarks>
    /// The event is looked at before each batch of an input (at most its <c>maxBatch</c> items), so a Reset stops the
    /// runnable after the batch it is in. An input's completion is noticed once its items are served, so a runnable
    /// that stays paused does not end by itself (Stop still ends it). Only inputs are gated: a produce step or a
    /// <c>RunAsync</c> body that should pause can await <see cref="PumaEvent.WaitAsync(CancellationToken)"/> itself.
    /// </remarks>
    /// <param name="signal">The event; made by <c>PumaRuntime.CreateEvent</c> and passed as a property of the runnable.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentNullException">The event is null (is the property set?).</exception>
    /// <exception cref="InvalidOperationException">The inputs are gated by an event already.</exception>
    public Handlers ServeInputsWhile(PumaEvent signal)
    {
        if (signal is null)
            throw new ArgumentNullException(nameof(signal), $"Runnable '{_runnableName}' gated its inputs with a null event: is the event property set?");
        if (InputGate is not null)
            throw new InvalidOperationException($"Runnable '{_runnableName}' gated its inputs twice (events '{InputGate.Event.Name}' and '{signal.Name}'); one gate per runnable.");
        InputGate = new InputGate(signal);
        return this;
    }
}
