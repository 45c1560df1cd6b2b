namespace Puma.Buffers.Events;

/// <summary>What a waiter on an event waits for, given the generation it saw when it began.</summary>
internal enum EventCondition
{
    /// <summary>The event is set, or a Set or Pulse happened since (what <see cref="PumaEvent.WaitAsync(CancellationToken)"/> waits for).</summary>
    SetOrSignalled,

    /// <summary>A Set or Pulse happened since (a loop's event handler).</summary>
    Signalled,

    /// <summary>The event is set (a loop whose inputs are served while it is).</summary>
    Set,
}
