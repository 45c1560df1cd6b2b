using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Metrics;

/// <summary>
/// A started runtime's metrics: the counters of its runnables and buffers, the collector and the <c>Puma</c> meter.
/// Disposing stops the meter, then unmaps the children's segments; a snapshot asked for after that throws.
/// </summary>
internal sealed class RuntimeMetrics : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, RunnableMetricsSource> _sources;
    private readonly MetricsCollector _collector;
    private readonly PumaMeter _meter;
    private bool _disposed;

    private RuntimeMetrics(IReadOnlyList<RunnableSlot> slots, IReadOnlyList<PumaBuffer> buffers)
    {
        _sources = new Dictionary<string, RunnableMetricsSource>(StringComparer.Ordinal);
        try
        {
            foreach (var slot in slots)
            {
                var source = RunnableMetricsSource.For(slot);
                _sources.Add(slot.Name, source);
                slot.MetricsSegmentName = source.Segment?.Name;
                slot.ChildLoopCounters = source.Segment?.Runnable;
            }
        }
        catch
        {
            // Nothing is left behind: no segment mapped, no child told to count in one, no end counting.
            foreach (var slot in slots)
            {
                slot.MetricsSegmentName = null;
                slot.ChildLoopCounters = null;
            }
            foreach (var source in _sources.Values)
                source.Dispose();
            throw;
        }
        foreach (var buffer in buffers)
            buffer.CountEnds(SharedWriter(buffer, slots), SharedReader(buffer, slots));
        _collector = new MetricsCollector(slots, buffers, _sources);
        _meter = new PumaMeter(CollectOrEmpty);
    }

    /// <summary>Makes the counters of every runnable and buffer (before the buffers open) and publishes the meter.</summary>
    public static RuntimeMetrics Start(IReadOnlyList<RunnableSlot> slots, IReadOnlyList<PumaBuffer> buffers) => new(slots, buffers);

    /// <summary>The value of the meter's <c>runtime</c> tag on this runtime's measurements.</summary>
    public string RuntimeId => _meter.RuntimeId;

    /// <summary>The loop counters of a runnable.</summary>
    public Runnables.Loop.RunnableCounters LoopCountersOf(string runnableName) => _sources[runnableName].Loop;

    /// <summary>A snapshot now.</summary>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public PumaMetrics Collect()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(PumaRuntime));
            return _collector.Collect();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _meter.Dispose();
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var source in _sources.Values)
                source.Dispose();
        }
    }

    private PumaMetrics CollectOrEmpty()
    {
        lock (_gate)
            return _disposed ? new PumaMetrics(DateTimeOffset.Now, [], []) : _collector.Collect();
    }

    /// <summary>True when several thread runnables write to the buffer: they share this process's writer end.</summary>
    private static bool SharedWriter(PumaBuffer buffer, IReadOnlyList<RunnableSlot> slots) =>
        slots.Count(s => s.Placement == Placement.Thread && s.Ports.Any(p => p.BufferEnd is { IsWriter: true } end && end.Buffer == buffer)) > 1;

    /// <summary>True when several thread runnables read the same reader end (competing).</summary>
    private static bool SharedReader(PumaBuffer buffer, IReadOnlyList<RunnableSlot> slots) =>
        slots.Where(s => s.Placement == Placement.Thread)
            .SelectMany(s => s.Ports.Select(p => p.BufferEnd).OfType<IBufferEnd>().Where(e => !e.IsWriter && e.Buffer == buffer).Select(e => e.Index).Distinct())
            .GroupBy(i => i)
            .Any(g => g.Count() > 1);
}
