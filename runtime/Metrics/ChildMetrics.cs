using Puma.Buffers.SharedMemory;
using Puma.Runnables;
using Puma.Runnables.Loop;

namespace Puma.Runtime.Metrics;

/// <summary>The child's side of a <see cref="MetricsSegment"/>: its loop and its ports count in the supervisor's segment.</summary>
internal static class ChildMetrics
{
    /// <summary>
    /// Opens the segment named in the start message and makes the runnable's shared-memory ports count in it; returns
    /// the loop's counters there, or null when the supervisor sent no segment (metrics off, or a node). The mapping
    /// stays until the process exits: the ports' ends count into it for as long as they live. A segment that cannot be
    /// opened costs the metrics, not the run: it is logged as a warning and the runnable runs uncounted.
    /// </summary>
    public static RunnableCounters? Attach(string? segmentName, Runnable runnable, Serilog.ILogger log)
    {
        if (segmentName is null)
            return null;
        var ports = RunnableMetricsSource.OrderPorts(RunnablePort.Discover(runnable));
        MetricsSegment segment;
        try
        {
            segment = MetricsSegment.Open(segmentName, ports.Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Puma.Buffers.BufferCorruptedException or ArgumentException)
        {
            log.Warning(e, "The metrics segment {Segment} cannot be opened: this run is not counted", segmentName);
            return null;
        }
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i].Value is ISharedMemoryPort end)
                end.CountWith(segment.Ports[i]);
        }
        return segment.Runnable;
    }
}
