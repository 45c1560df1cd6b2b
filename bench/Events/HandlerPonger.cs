using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Bench.Events;

/// <summary>
/// The far side of the event ping-pong as a loop handler: <c>on.Event(Ping, ...)</c> resets <see cref="Ping"/> and sets
/// <see cref="Pong"/>. The idle loop does not spin: each ping wakes the event's waiter thread, which wakes the loop.
/// </summary>
public sealed class HandlerPonger : Runnable
{
    /// <summary>The event the bench sets.</summary>
    public required PumaEvent Ping { get; init; }

    /// <summary>The event this runnable sets in reply.</summary>
    public required PumaEvent Pong { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on.Event(Ping, () =>
    {
        Ping.Reset();
        Pong.Set();
    });
}
