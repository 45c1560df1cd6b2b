using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Metrics;

/// <summary>
/// Gathers a <see cref="PumaMetrics"/> snapshot from the counters of every process: the buffers' ends in the
/// supervisor, the loops of thread runnables, and the segments the children count in. Reading costs a few loads per
/// counter and one look at each child process; nothing is sent and nothing waits.
/// </summary>
internal sealed class MetricsCollector(IReadOnlyList<RunnableSlot> slots, IReadOnlyList<PumaBuffer> buffers, IReadOnlyDictionary<string, RunnableMetricsSource> sources)
{
    /// <summary>A snapshot now.</summary>
    public PumaMetrics Collect()
    {
        var supervisor = ProcessStats.TryRead(Environment.ProcessId, out var own) ? own : default;
        var perBuffer = buffers.ToDictionary(b => b.Name, b => new BufferTally(b), StringComparer.Ordinal);
        var runnables = new List<RunnableMetrics>(slots.Count);
        foreach (var slot in slots)
        {
            if (!sources.TryGetValue(slot.Name, out var source))
                continue;
            runnables.Add(Runnable(slot, source, supervisor, perBuffer));
        }

        return new PumaMetrics(DateTimeOffset.Now, runnables, [.. perBuffer.Values.Select(t => t.ToMetrics())]);
    }

    private RunnableMetrics Runnable(RunnableSlot slot, RunnableMetricsSource source, ProcessStats supervisor, Dictionary<string, BufferTally> perBuffer)
    {
        long itemsOut = 0;
        var counted = new HashSet<PumaBuffer>();
        for (var i = 0; i < source.Ports.Count; i++)
        {
            var port = source.Ports[i];
            if (port.BufferEnd is not { } end)
                continue;
            if (source.PortCounters(i) is { } child)
            {
                // The child's own end: its counts are this runnable's, and part of the buffer's.
                if (perBuffer.TryGetValue(end.Buffer.Name, out var tally))
                    tally.Add(child, end.IsWriter);
                if (end.IsWriter)
                    itemsOut += child.Items;
            }
            else if (end.IsWriter && counted.Add(end.Buffer) && end.Buffer.WriterCounters is { } shared)
            {
                itemsOut += shared.Items;
            }
        }

        var info = slot.Describe(started: true);
        double cpu;
        long memory;
        if (slot.Placement == Placement.Process)
        {
            var live = ProcessStats.TryRead(info.ProcessId, out var child) && slot.Current is { IsRunning: true };
            cpu = live ? source.Cpu.Sample(info.ProcessId, child.CpuTime) : 0;
            memory = live ? child.ResidentBytes : 0;
        }
        else if (slot.Placement == Placement.Node)
        {
            // Runs on another node: nothing of it is measured here (not the supervisor's process).
            cpu = 0;
            memory = 0;
        }
        else
        {
            cpu = source.Cpu.Sample(0, source.Loop.BusyTime);
            memory = supervisor.ResidentBytes;
        }

        return new RunnableMetrics(slot.Name, slot.Placement, info.ProcessId, source.Loop.ItemsIn, itemsOut, source.Loop.BusyTime,
            cpu, memory, slot.RestartCount);
    }

    /// <summary>A buffer's sums: the supervisor's ends, then each child's.</summary>
    private sealed class BufferTally
    {
        private readonly PumaBuffer _buffer;
        private long _itemsWritten;
        private long _itemsRead;
        private long _bytesWritten;
        private long _bytesRead;
        private long _waits;

        public BufferTally(PumaBuffer buffer)
        {
            _buffer = buffer;
            if (buffer.WriterCounters is { } writer)
                Add(writer, isWriter: true);
            if (buffer.InProcessReads is { } reads)
            {
                foreach (var (items, bytes) in reads)
                {
                    _itemsRead += items;
                    _bytesRead += bytes;
                }
                return;
            }
            foreach (var reader in buffer.ReaderCounters)
                Add(reader, isWriter: false);
        }

        public void Add(Buffers.Metrics.EndCounters end, bool isWriter)
        {
            if (isWriter)
            {
                _itemsWritten += end.Items;
                _bytesWritten += end.Bytes;
                _waits += end.Waits;
            }
            else
            {
                _itemsRead += end.Items;
                _bytesRead += end.Bytes;
            }
        }

        public BufferMetrics ToMetrics() =>
            new(_buffer.Name, _buffer.Mode, _itemsWritten, _itemsRead, _bytesWritten, _bytesRead, _buffer.FillLevel, _waits);
    }
}
