using Puma.Logging;

namespace Puma.Runtime.Map;

/// <summary>A kernel's exception in a worker process, with the element's index and chunk and the thread it ran on.</summary>
internal sealed record MapJobFailure(long Index, long ChunkStart, int ChunkLength, int ThreadId, PortableException Error)
{
    /// <summary>The failure as this process reports it, the exception rebuilt as a <see cref="RemoteException"/>.</summary>
    public MapFailure ToFailure() => new(Index, ChunkStart, ChunkLength, Error.ToException()) { ThreadId = ThreadId };

    /// <summary>The portable form of <paramref name="failure"/>.</summary>
    public static MapJobFailure From(MapFailure failure) =>
        new(failure.Index, failure.ChunkStart, failure.ChunkLength, failure.ThreadId, PortableException.FromException(failure.Error));
}
