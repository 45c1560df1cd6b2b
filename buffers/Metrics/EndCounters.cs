namespace Puma.Buffers.Metrics;

/// <summary>
/// What one end of a buffer in one process did: items and bytes that went through it, and how often a writer found
/// the buffer full and waited (pressure). The end adds through an <see cref="EndTally"/> it holds: its own thread
/// with plain stores; an end used by several runnables of a process at once is marked <see cref="Shared"/> and adds
/// atomically instead.
/// </summary>
internal sealed class EndCounters
{
    /// <summary>Cells per end: items, bytes, waits.</summary>
    public const int CellCount = 3;

    /// <summary>The index of the items cell.</summary>
    public const int ItemsCell = 0;

    /// <summary>The index of the bytes cell.</summary>
    public const int BytesCell = 1;

    /// <summary>The index of the waits cell.</summary>
    public const int WaitsCell = 2;

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
    }

    /// <summary>The memory they live in.</summary>
    public CounterCells Cells { get; }

    /// <summary>True when several runnables of this process use the end at once: adds are atomic.</summary>
    public bool Shared { get; init; }

    /// <summary>Items that went through the end.</summary>
    public long Items => Cells.Read(ItemsCell);

    /// <summary>
    /// Bytes that went through the end: items times <see cref="BytesPerItem"/> when the end counts items only, else
    /// the bytes it counted (see <see cref="ItemBytes{T}"/>).
    /// </summary>
    public long Bytes => BytesPerItem is { } size ? Items * size : Cells.Read(BytesCell);

    /// <summary>The size of every item when the end counts items only and its bytes are derived; null when it counts bytes.</summary>
    public int? BytesPerItem { get; set; }

    /// <summary>How often a writer found the buffer full and waited.</summary>
    public long Waits => Cells.Read(WaitsCell);
}
