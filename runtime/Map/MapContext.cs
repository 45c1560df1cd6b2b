namespace Puma.Runtime;

/// <summary>Where a parallel map's workers run (pasha's three contexts).</summary>
public enum MapContext
{
    /// <summary>One worker, on the calling thread: the baseline.</summary>
    Serial,

    /// <summary>Workers on thread-pool threads of this process; any input works (arrays, memory, shared arrays, ranges).</summary>
    Threads,

    /// <summary>
    /// Workers in child processes, started on the runtime's first such map and reused by the next ones; arrays must
    /// be shared arrays (<c>runtime.CreateSharedArray</c>), so that the workers read and write them in place.
    /// </summary>
    Processes,
}
