namespace Puma.Runtime;

/// <summary>
/// A parallel map failed: its kernel threw (the inner exception; a <see cref="Puma.Logging.RemoteException"/> when it
/// was thrown in a worker process), or a worker process died. Says which element and which worker.
/// </summary>
public sealed class MapFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="index">The failing element's index (see <see cref="Index"/>).</param>
    /// <param name="chunkStart">The first index of the chunk being mapped; -1 when none was.</param>
    /// <param name="chunkLength">The length of that chunk; 0 when none was being mapped.</param>
    /// <param name="worker">The worker, in words.</param>
    /// <param name="processId">The worker's process id.</param>
    /// <param name="innerException">The kernel's exception, or why the worker process ended.</param>
    public MapFailedException(string message, long index, long chunkStart, int chunkLength, string worker, int processId, Exception? innerException)
        : base(message, innerException)
    {
        Index = index;
        ChunkStart = chunkStart;
        ChunkLength = chunkLength;
        Worker = worker;
        ProcessId = processId;
    }

    /// <summary>
    /// The index of the element that failed: exact for a kernel that maps element by element (<c>Map</c>); the first
    /// index of the chunk for a kernel that overrides <c>MapChunk</c>, or whose worker process died in that chunk;
    /// -1 when a worker process died between chunks.
    /// </summary>
    public long Index { get; }

    /// <summary>The first index of the chunk that failed; -1 when a worker process died between chunks.</summary>
    public long ChunkStart { get; }

    /// <summary>The number of elements in the chunk that failed; 0 when a worker process died between chunks.</summary>
    public int ChunkLength { get; }

    /// <summary>The worker that failed, in words: e.g. <c>thread worker 1 (thread 12)</c> or <c>process worker 0 (pid 4242)</c>.</summary>
    public string Worker { get; }

    /// <summary>The process the worker ran in (this process for serial and thread workers).</summary>
    public int ProcessId { get; }
}
