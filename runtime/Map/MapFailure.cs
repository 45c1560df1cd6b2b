namespace Puma.Runtime.Map;

/// <summary>Where and why a worker failed: the element's index, its chunk, the kernel's exception.</summary>
internal sealed record MapFailure(long Index, long ChunkStart, int ChunkLength, Exception Error)
{
    /// <summary>The managed thread the kernel threw on.</summary>
    public int ThreadId { get; init; } = Environment.CurrentManagedThreadId;
}
