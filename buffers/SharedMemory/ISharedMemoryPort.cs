namespace Puma.Buffers.SharedMemory;

/// <summary>
/// A shared-memory channel end attached as a runnable's port in a child process: what the child does with it
/// when the runnable's loop ends.
/// </summary>
internal interface ISharedMemoryPort
{
    /// <summary>Gives the end back for good: a reader closes its slot, a writer releases its writer reference.</summary>
    void Release();

    /// <summary>Hands the end back for a restarted runnable: a reader keeps its slot position, a writer its reference.</summary>
    void Detach();

    /// <summary>Counts what goes through this end in <paramref name="counters"/> (the runtime's metrics).</summary>
    void CountWith(Metrics.EndCounters counters);
}
