namespace Puma.Runtime.Map;

/// <summary>A kernel as a worker process sees it: something that runs a job without knowing its element types.</summary>
internal interface IMapKernel
{
    /// <summary>Runs <paramref name="job"/>'s share of the map in this process.</summary>
    MapJobReply RunJob(MapJob job, MapWorkerSegments segments);
}
