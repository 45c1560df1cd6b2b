using System.Diagnostics;
using Puma.Buffers.Metrics;

namespace Puma.Runnables.Loop;

/// <summary>
/// What a runnable's loop did, for the runtime's metrics: items its input handlers took and the time its handlers
/// ran (input batches, produce steps, commands, requests and ticks, awaits included). Only the loop adds, with plain
/// stores, once per batch; they live in this process's memory or in a child's metrics segment that the supervisor reads.
/// Runs of the same runnable (restarts) add to the same counters.
/// </summary>
internal sealed unsafe class RunnableCounters
{
    /// <summary>Cells: items in, handler time in <see cref="Stopwatch"/> ticks.</summary>
    public const int CellCount = 2;

    private const int ItemsInCell = 0;
    private const int HandlerTicksCell = 1;

    private readonly long* _cells;

    /// <summary>Counters in this process's memory.</summary>
    public RunnableCounters()
        : this(CounterCells.Allocate(CellCount))
    {
    }

    /// <summary>Counters in <paramref name="cells"/> (at least <see cref="CellCount"/>).</summary>
    public RunnableCounters(CounterCells cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count < CellCount)
            throw new ArgumentOutOfRangeException(nameof(cells), cells.Count, $"A runnable's counters need {CellCount} cells, got {cells.Count}.");
        Cells = cells;
        _cells = cells.Address;
    }

    /// <summary>The memory they live in.</summary>
    public CounterCells Cells { get; }

    /// <summary>Items the input handlers took.</summary>
    public long ItemsIn => Cells.Read(ItemsInCell);

    /// <summary>Time the handlers ran.</summary>
    public TimeSpan HandlerTime => Stopwatch.GetElapsedTime(0, Cells.Read(HandlerTicksCell));

    /// <summary>Adds a batch of <paramref name="items"/> input items (none: nothing was there) handled since <paramref name="startTimestamp"/>.</summary>
    public void AddBatch(int items, long startTimestamp)
    {
        if (items == 0)
            return;
        _cells[ItemsInCell] += items;
        AddHandlerTimeSince(startTimestamp);
    }

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) to the handler time.</summary>
    public void AddHandlerTimeSince(long startTimestamp) => _cells[HandlerTicksCell] += Stopwatch.GetTimestamp() - startTimestamp;
}
