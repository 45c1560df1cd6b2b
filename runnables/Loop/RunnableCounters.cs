using System.Diagnostics;
using Puma.Buffers.Metrics;

namespace Puma.Runnables.Loop;

/// <summary>
/// What a runnable's loop did, for the runtime's metrics: the items its input handlers took, and the time it was
/// busy serving its handlers (from waking up to going idle again, awaits inside handlers included). Only the loop
/// writes them, with plain stores: one add per input batch, and a timestamp each time it goes idle or wakes, never
/// per item. They live in this process's memory or in a child's metrics segment that the supervisor reads; runs of
/// the same runnable (restarts) add to the same counters.
/// </summary>
internal sealed unsafe class RunnableCounters
{
    /// <summary>Cells: items in, busy time so far, and when the current busy spell began (0 while idle), in <see cref="Stopwatch"/> ticks.</summary>
    public const int CellCount = 3;

    private const int ItemsInCell = 0;
    private const int BusyTicksCell = 1;
    private const int BusySinceCell = 2;

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

    /// <summary>
    /// Time the loop was busy, up to now: the finished busy spells and the current one. Read consistently while the
    /// loop goes on (the start of the current spell is read before and after the total, and again when it changed).
    /// </summary>
    public TimeSpan BusyTime
    {
        get
        {
            while (true)
            {
                var since = Cells.Read(BusySinceCell);
                var total = Cells.Read(BusyTicksCell);
                var now = Stopwatch.GetTimestamp();
                if (Cells.Read(BusySinceCell) != since)
                    continue;
                return Stopwatch.GetElapsedTime(0, total + (since != 0 ? Math.Max(0, now - since) : 0));
            }
        }
    }

    /// <summary>Adds a batch of <paramref name="items"/> input items.</summary>
    public void AddItemsIn(int items) => _cells[ItemsInCell] += items;

    /// <summary>The loop starts or wakes up: a busy spell begins.</summary>
    public void Busy() => Volatile.Write(ref _cells[BusySinceCell], Stopwatch.GetTimestamp());

    /// <summary>The loop waits for work or ends: the busy spell ends and is added to the total.</summary>
    public void Idle()
    {
        var since = _cells[BusySinceCell];
        if (since == 0)
            return;
        Volatile.Write(ref _cells[BusyTicksCell], _cells[BusyTicksCell] + (Stopwatch.GetTimestamp() - since));
        Volatile.Write(ref _cells[BusySinceCell], 0);
    }
}
