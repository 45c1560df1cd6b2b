using Puma.Runtime;

namespace Puma.Demo.Monitor;

/// <summary>Per-second rates between two metrics snapshots of the same runtime.</summary>
internal sealed class MetricRates(PumaMetrics? previous, PumaMetrics current)
{
    private readonly double _seconds = previous is null ? 0 : (current.Timestamp - previous.Timestamp).TotalSeconds;

    public PumaMetrics Current => current;

    public double ItemsInPerSecond(RunnableMetrics r) => Rate(r.ItemsIn, previous?.Runnables.FirstOrDefault(p => p.Name == r.Name)?.ItemsIn);

    public double ItemsOutPerSecond(RunnableMetrics r) => Rate(r.ItemsOut, previous?.Runnables.FirstOrDefault(p => p.Name == r.Name)?.ItemsOut);

    public double WrittenPerSecond(BufferMetrics b) => Rate(b.ItemsWritten, Before(b)?.ItemsWritten);

    public double ReadPerSecond(BufferMetrics b) => Rate(b.ItemsRead, Before(b)?.ItemsRead);

    public double BytesWrittenPerSecond(BufferMetrics b) => Rate(b.BytesWritten, Before(b)?.BytesWritten);

    public double WaitsPerSecond(BufferMetrics b) => Rate(b.WriterWaits, Before(b)?.WriterWaits);

    private BufferMetrics? Before(BufferMetrics b) => previous?.Buffers.FirstOrDefault(p => p.Name == b.Name);

    private double Rate(long now, long? before) => _seconds > 0 && before is { } b ? Math.Max(0, now - b) / _seconds : 0;
}
