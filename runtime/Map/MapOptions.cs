namespace Puma.Runtime;

/// <summary>How a parallel map runs: its context, how many workers, how many elements a worker claims at a time.</summary>
/// <remarks>
/// Workers claim chunks from one shared counter (an atomic add, in shared memory for process workers), so a worker
/// that meets slow chunks simply claims fewer of them: the others do not wait for it.
/// </remarks>
public sealed record MapOptions
{
    /// <summary>The most workers a map can have.</summary>
    public const int MaxWorkers = 256;

    /// <summary>Where the workers run; <see cref="MapContext.Threads"/> by default.</summary>
    public MapContext Context { get; init; } = MapContext.Threads;

    /// <summary>
    /// How many workers, 1..<see cref="MaxWorkers"/>; null for <see cref="Environment.ProcessorCount"/> (one for
    /// <see cref="MapContext.Serial"/>, which runs exactly one).
    /// </summary>
    public int? Workers { get; init; }

    /// <summary>
    /// How many elements a worker claims at a time, at least 1; null to choose: about sixteen chunks per worker, at
    /// most 65,536 elements each (small enough for balance and a prompt cancellation, big enough that claiming costs
    /// nothing).
    /// </summary>
    public int? ChunkSize { get; init; }

    /// <summary>One worker on the calling thread.</summary>
    public static MapOptions Serial { get; } = new() { Context = MapContext.Serial };

    /// <summary>Workers on threads of this process.</summary>
    /// <param name="workers">How many; null for <see cref="Environment.ProcessorCount"/>.</param>
    /// <returns>The options.</returns>
    public static MapOptions Threads(int? workers = null) => new() { Context = MapContext.Threads, Workers = workers };

    /// <summary>Workers in child processes of the runtime (reused across maps).</summary>
    /// <param name="workers">How many; null for <see cref="Environment.ProcessorCount"/>.</param>
    /// <returns>The options.</returns>
    public static MapOptions Processes(int? workers = null) => new() { Context = MapContext.Processes, Workers = workers };
}
