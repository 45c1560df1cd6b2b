using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Events;

/// <summary>What a waiter spins for before it hands its wait to the waiter thread (<see cref="RingWait.Spin{TCondition}"/>).</summary>
internal readonly unsafe struct EventSpinCondition(int* word, EventCondition condition, int generation) : IRingWaitCondition
{
    /// <summary>True when <see cref="EventWait.Holds"/> for the event word now.</summary>
    public bool IsReady() => EventWait.Holds(condition, generation, Volatile.Read(ref *word));

    /// <summary>Nothing: a spin has no park slices (only <see cref="RingWait.Spin{TCondition}"/> uses this condition).</summary>
    public void CheckSlice()
    {
    }
}
