namespace Puma.Runtime.Map;

/// <summary>How a map is cut: the element count, the chunk size and count, and the number of workers (never more than chunks).</summary>
internal sealed record MapPlan(MapContext Context, long Length, int ChunkSize, long ChunkCount, int Workers)
{
    /// <summary>Chunks per worker when the options leave the chunk size open.</summary>
    public const int ChunksPerWorker = 16;

    /// <summary>The largest chunk chosen when the options leave it open.</summary>
    public const int MaxAutomaticChunk = 65_536;

    /// <summary>The plan for <paramref name="length"/> elements under <paramref name="options"/>; bad options throw naming the value and the limit.</summary>
    public static MapPlan For(MapOptions options, long length)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Context))
            throw new ArgumentOutOfRangeException(nameof(options), options.Context, $"MapOptions.Context {(int)options.Context} is not a MapContext (Serial, Threads or Processes).");
        var workers = options.Workers ?? (options.Context == MapContext.Serial ? 1 : Environment.ProcessorCount);
        if (workers is < 1 or > MapOptions.MaxWorkers)
            throw new ArgumentOutOfRangeException(nameof(options), workers, $"MapOptions.Workers is {workers}; it must be 1..{MapOptions.MaxWorkers}.");
        if (options.Context == MapContext.Serial && workers != 1)
            throw new ArgumentOutOfRangeException(nameof(options), workers, $"MapOptions.Workers is {workers}, but the Serial context runs exactly 1 worker; use Threads or Processes for more.");
        if (options.ChunkSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.ChunkSize, $"MapOptions.ChunkSize is {options.ChunkSize}; it must be at least 1.");
        var chunk = options.ChunkSize ?? (int)Math.Clamp((length + ((long)workers * ChunksPerWorker) - 1) / ((long)workers * ChunksPerWorker), 1, MaxAutomaticChunk);
        var chunks = (length + chunk - 1) / chunk;
        return new MapPlan(options.Context, length, chunk, chunks, (int)Math.Max(1, Math.Min(workers, chunks)));
    }
}
