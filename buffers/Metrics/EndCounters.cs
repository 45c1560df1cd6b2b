using System.Runtime.CompilerServices;

namespace Puma.Buffers.Metrics;

/// <summary>
/// What one end of a buffer in one process did: items and bytes that went through it, and how often a writer found
/// the buffer full and waited (pressure). The end's own thread adds with plain stores; an end used by several
/// runnables of a process at once is marked <see cref="Shared"/> and adds atomically instead.
/// </summary>
internal sealed unsafe class EndCounters
{
    /// <summary>Cells per end: items, bytes, waits.</summary>
    public const int CellCount = 3;

    private const int ItemsCell = 0;
    private const int BytesCell = 1;
    private const int WaitsCell = 2;

    private readonly long* _cells;

    /// <summary>Counters in this process's memory.</summary>
    public EndCounters()
        : this(CounterCells.Allocate(CellCount))
    {
    }

    /// <summary>Counters in <paramref name="cells"/> (at least <see cref="CellCount"/> of them).</summary>
    public EndCounters(CounterCells cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count < CellCount)
            throw new ArgumentOutOfRangeException(nameof(cells), cells.Count, $"An end's counters need {CellCount} cells, got {cells.Count}.");
        Cells = cells;
        _cells = cells.Address;
    }

    /// <summary>The memory they live in.</summary>
    public CounterCells Cells { get; }

    /// <summary>True when several runnables of this process use the end at once: adds are atomic.</summary>
    public bool Shared { get; init; }

    /// <summary>Items that went through the end.</summary>
    public long Items => Cells.Read(ItemsCell);

    /// <summary>Bytes that went through the end (see <see cref="ItemBytes{T}"/>).</summary>
    public long Bytes => Cells.Read(BytesCell);

    /// <summary>How often a writer found the buffer full and waited.</summary>
    public long Waits => Cells.Read(WaitsCell);

    /// <summary>Counts one item of <paramref name="bytes"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long bytes)
    {
        if (Shared)
        {
            AddShared(bytes);
            return;
        }
        var cells = _cells;
        cells[ItemsCell]++;
        cells[BytesCell] += bytes;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddShared(long bytes)
    {
        Interlocked.Increment(ref _cells[ItemsCell]);
        Interlocked.Add(ref _cells[BytesCell], bytes);
    }

    /// <summary>Counts one wait for room.</summary>
    public void AddWait()
    {
        if (Shared)
            Interlocked.Increment(ref _cells[WaitsCell]);
        else
            _cells[WaitsCell]++;
    }
}
