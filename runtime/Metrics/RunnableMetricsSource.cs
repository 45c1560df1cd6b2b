using Puma.Buffers.Metrics;
using Puma.Runnables;
using Puma.Runnables.Loop;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Metrics;

/// <summary>
/// Where a runnable's counters are: for a thread runnable, its loop's counters in this process (its ports count in
/// the buffers' ends here); for a process runnable, a <see cref="MetricsSegment"/> its child counts in, loop and
/// ports alike. Made when the runtime starts, kept across restarts, released with the runtime.
/// </summary>
internal sealed class RunnableMetricsSource : IDisposable
{
    private RunnableMetricsSource(RunnableCounters loop, MetricsSegment? segment, IReadOnlyList<RunnablePort> ports)
    {
        Loop = loop;
        Segment = segment;
        Ports = ports;
    }

    /// <summary>The loop's counters (in the segment for a process runnable).</summary>
    public RunnableCounters Loop { get; }

    /// <summary>The segment the child counts in; null for a thread runnable.</summary>
    public MetricsSegment? Segment { get; }

    /// <summary>The runnable's ports in the segment's order (ordinal order of their names).</summary>
    public IReadOnlyList<RunnablePort> Ports { get; }

    /// <summary>Its CPU percentage over time.</summary>
    public CpuSampler Cpu { get; } = new();

    /// <summary>The counters of a runnable in <paramref name="slot"/>: a segment for a child process, memory of this process for a thread.</summary>
    public static RunnableMetricsSource For(RunnableSlot slot)
    {
        var ports = OrderPorts(slot.Ports);
        if (slot.Placement != Placement.Process)
            return new RunnableMetricsSource(new RunnableCounters(), null, ports);
        var segment = MetricsSegment.Create(ports.Count);
        return new RunnableMetricsSource(segment.Runnable, segment, ports);
    }

    /// <summary>Ports in the order both sides of a metrics segment use.</summary>
    public static IReadOnlyList<RunnablePort> OrderPorts(IEnumerable<RunnablePort> ports) =>
        [.. ports.OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>The counters of port <paramref name="index"/> (in <see cref="Ports"/>) when the child counts them; null for a thread runnable.</summary>
    public EndCounters? PortCounters(int index) => Segment?.Ports[index];

    /// <inheritdoc />
    public void Dispose() => Segment?.Dispose();
}
