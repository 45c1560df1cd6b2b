namespace Puma.Runtime.Map;

/// <summary>The exceptions a map throws, worded once.</summary>
internal static class MapErrors
{
    /// <summary>The kernel threw at <paramref name="failure"/>'s element in <paramref name="worker"/>.</summary>
    public static MapFailedException KernelFailed(MapFailure failure, string worker, int processId) =>
        new($"The map failed at element {failure.Index} (chunk of {failure.ChunkLength} from index {failure.ChunkStart}) in {worker}: "
            + $"{failure.Error.GetType().Name}: {failure.Error.Message}",
            failure.Index, failure.ChunkStart, failure.ChunkLength, worker, processId, failure.Error);

    /// <summary>
    /// A worker process ended while the map ran (<paramref name="ended"/>), or could not run its share (a kernel type
    /// it cannot load, ...); <paramref name="chunkStart"/> is -1 when it was between chunks.
    /// </summary>
    public static MapFailedException WorkerFailed(string worker, int processId, long chunkStart, int chunkLength, bool ended, Exception cause)
    {
        var what = !ended ? "could not run its share of the map"
            : chunkStart < 0 ? "ended between chunks"
            : $"ended while mapping the chunk of {chunkLength} from index {chunkStart}";
        return new($"The map failed: {worker} {what}: {cause.Message}", chunkStart, chunkStart, chunkStart < 0 ? 0 : chunkLength, worker, processId, cause);
    }

    /// <summary>The in-process description of worker <paramref name="worker"/>.</summary>
    public static string ThreadWorker(MapContext context, int worker, int threadId) =>
        context == MapContext.Serial ? $"the serial worker (thread {threadId})" : $"thread worker {worker} (thread {threadId})";

    /// <summary>The description of process worker <paramref name="worker"/>.</summary>
    public static string ProcessWorker(int worker, int processId) => $"process worker {worker} (pid {processId})";
}
